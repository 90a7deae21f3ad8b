"""The offline engine on definitions: what an abbreviation stands for, a term-and-definition
table, and how-many questions against rows that state no number."""

from __future__ import annotations

from adapters.text.snowball import SnowballAnalyzer
from application.keyless.acronyms import asked_abbreviation, expands
from application.keyless.answerer import KeylessAnswerer
from application.keyless.scoring import KIND_PENALTY, NUMBER_BONUS, number_fit
from application.keyless.units import rows
from application.ports.language_model import Source
from domain.questions import Kind

ANALYZER = SnowballAnalyzer()


def answer(question: str, *texts: str) -> str | None:
    language = ANALYZER.language(question)
    sources = tuple(Source(number=i + 1, label=f"source {i + 1}", text=t) for i, t in enumerate(texts))
    return KeylessAnswerer(lambda text: set(ANALYZER.terms(text, language))).answer(question, sources, language)


def test_the_abbreviation_asked_about_is_read_in_english_and_russian() -> None:
    assert asked_abbreviation("What does EBITDA stand for?") == "EBITDA"
    assert asked_abbreviation("What does SG&A mean?") == "SG&A"
    assert asked_abbreviation("Что означает сокращение КСОБ?") == "КСОБ"
    assert asked_abbreviation("Как расшифровывается НМЦК?") == "НМЦК"
    # an ordinary word in the same phrasing is no abbreviation
    assert asked_abbreviation("What does it mean?") is None
    assert asked_abbreviation("What does the contract say?") is None
    assert asked_abbreviation("What is the price of the contract?") is None


def test_an_expansion_is_a_run_of_words_spelling_the_letters() -> None:
    assert expands("КСОБ", "КСОБ | Комплексные системы обеспечения безопасности")
    assert expands("SG&A", "Selling, general and administrative expenses")  # "and" skipped
    assert expands("НМЦК", "начальной (максимальной) цены контракта (далее – НМЦК)")
    # a sentence using the abbreviation, with words sharing a letter here and there, spells nothing out
    assert not expands("КСОБ", "визуальное представление текущего состояния КСОБ объекта, с целью сокращения")


GLOSSARY = """Термины и сокращения
| Сокращение | Определение |
|---|---|
| КСОБ | Комплексные системы обеспечения безопасности |
| АПТ | Система автоматического пожаротушения |

Основным назначением ИС является представление состояния КСОБ объекта с целью сокращения времени реакции."""


def test_a_term_and_its_definition_are_a_row_not_a_section_heading() -> None:
    found = list(rows((Source(number=1, label="source 1", text=GLOSSARY),)))
    assert [(r.label, r.cells[1]) for r in found] == [
        ("КСОБ", "Комплексные системы обеспечения безопасности"), ("АПТ", "Система автоматического пожаротушения")]


def test_the_meaning_of_an_abbreviation_is_answered_by_the_unit_spelling_it_out() -> None:
    found = answer("Что означает сокращение КСОБ?", GLOSSARY)
    assert found is not None and "Комплексные системы обеспечения безопасности" in found
    assert "сокращения времени" not in found  # the sentence merely using it (and the word "сокращение")


def test_a_label_alone_in_its_row_still_heads_the_rows_below_it() -> None:
    text = """| № | Наименование | Количество |
|---|---|---|
| | Система пожарной сигнализации | |
| 1 | Извещатель пожарный | 731 |"""
    (row,) = rows((Source(number=1, label="source 1", text=text),))
    assert row.section == "Система пожарной сигнализации" and row.label == "Извещатель пожарный"


def test_a_row_with_no_number_beside_its_label_loses_for_a_how_many_question() -> None:
    text = """| № | Наименование | Товарный знак | Страна | Описание |
|---|---|---|---|---|
| 130 | Карта proximity | Карта proximity | Российская Федерация | Для контроля доступа. Толщина: 1,6 мм. |

| № | Наименование | Ед. изм. | Количество |
|---|---|---|---|
| 4.7 | Карта proximity | шт. | 300 |"""
    description, counted = rows((Source(number=1, label="source 1", text=text),))
    assert number_fit(Kind.COUNT, description, " | ".join(description.cells)) == -KIND_PENALTY
    assert number_fit(Kind.COUNT, counted, " | ".join(counted.cells)) == NUMBER_BONUS
