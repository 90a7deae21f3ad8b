"""SnowballAnalyzer (adapters/text/snowball.py, the TextAnalyzer port) with the real PyStemmer
C stemmers: inflections meet one stem in English and Russian, each word is stemmed for its own
script, numbers are kept, function and question words are left out, and the name the search
index records fits its column."""

from __future__ import annotations

import threading

import pytest

from adapters.text.snowball import STOPWORDS, SnowballAnalyzer
from application.ports.text_analyzer import TextAnalyzer


@pytest.fixture
def analyzer() -> SnowballAnalyzer:
    return SnowballAnalyzer()


def one_stem(analyzer: TextAnalyzer, words: str, language: str) -> set[str]:
    terms = analyzer.terms(words, language)
    assert len(terms) == len(words.split()), (words, terms)  # every word gives one term
    return set(terms)


@pytest.mark.parametrize(("words", "language", "stem"), [
    ("штраф штрафа штрафом штрафы штрафов", "ru", "штраф"),
    ("суд суда суде судом судов", "ru", "суд"),
    ("договор договора договору договором", "ru", "договор"),
    ("payment payments Payments PAYMENT", "en", "payment"),
    ("revenue revenues", "en", "revenu"),
    ("invoice invoices invoiced", "en", "invoic"),
])
def test_inflections_meet_one_stem(analyzer: SnowballAnalyzer, words: str, language: str, stem: str) -> None:
    assert one_stem(analyzer, words, language) == {stem}


def test_different_words_keep_different_stems(analyzer: SnowballAnalyzer) -> None:
    assert len(set(analyzer.terms("штраф суд договор цена", "ru"))) == 4
    assert len(set(analyzer.terms("payment court contract price", "en"))) == 4


def test_the_document_and_the_question_meet_on_the_same_terms(analyzer: SnowballAnalyzer) -> None:
    chunk = analyzer.terms("Подрядчик уплачивает штраф в размере 5% от цены Контракта", "ru")
    question = analyzer.terms("Какой штраф заплатит подрядчик?", "ru")
    assert {"штраф", "подрядчик"} <= set(chunk) & set(question)


def test_each_word_is_stemmed_for_its_own_script(analyzer: SnowballAnalyzer) -> None:
    russian_text = analyzer.terms("Штрафы по Invoice payments в суде", "ru")
    english_text = analyzer.terms("Payments of штрафа in court", "en")
    assert russian_text == ["штраф", "invoic", "payment", "суд"]  # Latin words with the English stemmer
    assert english_text == ["payment", "штраф", "court"]  # Cyrillic words with the Russian stemmer


def test_latin_words_follow_the_texts_language_when_it_has_a_stemmer(analyzer: SnowballAnalyzer) -> None:
    assert analyzer.terms("Zahlungen", "de") == analyzer.terms("Zahlung", "de") == ["zahlung"]
    assert analyzer.terms("payments", "und") == analyzer.terms("payments", "en")  # no stemmer: English
    assert analyzer.terms("payments", "uk") == ["payment"]  # a Cyrillic language: its Latin words as English
    assert analyzer.terms("штрафа", "uk") == ["штраф"]


def test_other_scripts_are_kept_as_they_are_case_folded(analyzer: SnowballAnalyzer) -> None:
    assert analyzer.terms("東京 Ελλάδα", "und") == ["東京", "ελλάδα"]


def test_numbers_are_kept_as_written(analyzer: SnowballAnalyzer) -> None:
    terms = analyzer.terms("Revenue was 94,836 in 2023; штраф 5% и 1 996 085,00 рублей", "en")
    assert terms == ["revenu", "94", "836", "2023", "штраф", "5", "1", "996", "085", "00", "рубл"]
    assert analyzer.terms("Q3 FY2024", "en") == ["q3", "fy2024"]  # letters and digits together stay one term


def test_underscores_and_punctuation_split_words(analyzer: SnowballAnalyzer) -> None:
    assert analyzer.terms("price_eur: «цена»—total", "en") == ["price", "eur", "цен", "total"]


def test_function_and_question_words_are_left_out(analyzer: SnowballAnalyzer) -> None:
    assert analyzer.terms("What is the price of the contract?", "en") == ["price", "contract"]
    assert analyzer.terms("How much was it?", "en") == []
    assert analyzer.terms("Какова цена контракта?", "ru") == ["цен", "контракт"]
    assert analyzer.terms("Сколько дней на оплату?", "ru") == ["дне", "оплат"]
    assert analyzer.terms("THE Price", "en") == ["price"]  # checked after case folding
    assert analyzer.terms("the и what что", "de") == []  # whatever the document's language


def test_stop_words_are_whole_words_not_prefixes(analyzer: SnowballAnalyzer) -> None:
    # "thereby", "others", "иначе" begin with stop words but are not stop words themselves
    assert analyzer.terms("thereby others иначе", "en") == ["therebi", "other", "инач"]
    assert "other" in STOPWORDS and analyzer.terms("other", "en") == []  # looked up before stemming


def test_yo_and_ye_spellings_meet(analyzer: SnowballAnalyzer) -> None:
    assert set(analyzer.terms("Ёлка ёлки елка", "ru")) == {"елк"}


def test_the_same_word_gives_the_same_term_every_time(analyzer: SnowballAnalyzer) -> None:
    text = "Штрафы payments суде 2023"
    first = analyzer.terms(text, "ru")
    assert [analyzer.terms(text, "ru") for _ in range(3)] == [first] * 3  # from the word cache now
    assert SnowballAnalyzer().terms(text, "ru") == first  # a fresh analyzer agrees


def test_the_word_cache_starts_over_without_changing_terms() -> None:
    small = SnowballAnalyzer(cache_words=2)
    text = "payments invoices штрафа суде договора"
    expected = SnowballAnalyzer().terms(text, "en")
    assert [small.terms(text, "en") for _ in range(3)] == [expected] * 3


def test_threads_share_one_analyzer(analyzer: SnowballAnalyzer) -> None:
    text = "Штрафы по договору payments invoices суде " * 50
    expected = SnowballAnalyzer().terms(text, "ru")
    results: list[list[str]] = []

    def work() -> None:
        for _ in range(20):
            results.append(analyzer.terms(text, "ru"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 80 and all(r == expected for r in results)


def test_language_of_a_text(analyzer: SnowballAnalyzer) -> None:
    assert analyzer.language("Подрядчик уплачивает штраф по договору") == "ru"
    assert analyzer.language("The payment of the invoice is due in 30 days") == "en"
    assert analyzer.language("Die Zahlung ist nicht mit der Rechnung eingegangen") == "de"
    assert analyzer.language("12345 67") == "und"


def test_the_name_versions_the_analysis_and_fits_the_index(analyzer: SnowballAnalyzer) -> None:
    assert analyzer.name == "snowball-4"
    assert len(analyzer.name) <= 32  # search_documents.analyzer is String(32)
    assert SnowballAnalyzer().name == analyzer.name  # the same analysis every process
    port: TextAnalyzer = analyzer  # satisfies the port (checked by mypy too)
    assert port.terms("payments", "en") == ["payment"]


def test_a_hyphenated_word_is_also_read_joined(analyzer: SnowballAnalyzer) -> None:
    """A header cell's word split to fit ("Коли-чество") finds "количество"; the parts stay terms."""
    terms = analyzer.terms("Коли-чество", "ru")
    assert analyzer.terms("количество", "ru")[0] in terms
    assert "честв" in terms
    assert analyzer.terms("year-over-year", "en")[-1] == "yearoveryear"
    assert analyzer.terms("12-15", "en") == ["12", "15"]  # numbers are not joined
