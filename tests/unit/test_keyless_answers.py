"""The offline engine's answers from whole sources: what it states and what it leaves out."""

from __future__ import annotations

from adapters.text.snowball import SnowballAnalyzer
from application.keyless.answerer import KeylessAnswerer
from application.keyless.columns import choose_column
from application.ports.language_model import Source
from domain.questions import profile

ANALYZER = SnowballAnalyzer()


def answer(question: str, *texts: str) -> str | None:
    language = ANALYZER.language(question)
    sources = tuple(Source(number=i + 1, label=f"source {i + 1}", text=t) for i, t in enumerate(texts))
    return KeylessAnswerer(lambda text: set(ANALYZER.terms(text, language))).answer(question, sources, language)


def ru(text: str) -> set[str]:
    return set(ANALYZER.terms(text, "ru"))


def test_a_sentence_announcing_a_formula_is_answered_with_the_formula() -> None:
    text = ("За каждый день просрочки начисляется пеня, которая определяется по формуле:\n\n"
            "П = (Ц - В) x С, где Ц - цена Контракта.\n\nИные условия не меняются.")
    found = answer("По какой формуле считается пеня за просрочку?", text)
    assert found is not None
    assert "по формуле: [1]" in found and "П = (Ц - В) x С" in found
    assert "Иные условия" not in found


def test_a_header_word_hyphenated_to_fit_its_cell_names_the_column() -> None:
    header = ("№", "Наименование", "Коли-чество", "Сум-ма, руб.")
    values = ("1", "Кабель", "100", "3 550,00")
    question = "Сколько стоит кабель?"
    assert choose_column(header, values, profile(question), question, ru, 1) == 3


def test_a_number_question_on_a_row_of_names_gives_no_value() -> None:
    header = ("№", "Наименование", "Товарный знак", "Страна")
    values = ("18", "Извещатель пожарный тип 1", "Извещатель пожарный тип 1", "Российская Федерация")
    question = "Сколько извещателей нужно?"
    assert choose_column(header, values, profile(question), question, ru, 1) is None


def test_a_cell_repeating_the_label_is_not_its_value() -> None:
    header = ("Наименование", "Марка", "Цена")
    values = ("Блок индикации", "Блок индикации", "3 828,71")
    question = "Какова цена блока индикации?"
    assert choose_column(header, values, profile(question), question, ru, 0) == 2
