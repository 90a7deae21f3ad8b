"""The keyless answerer's parts: the units an answer is made of (application.keyless.units), the
column of a table row that answers (columns.choose_column), and the wording (phrasing)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.text.snowball import SnowballAnalyzer
from application.keyless.columns import choose_column
from application.keyless.phrasing import sentence_answer, table_answer
from application.keyless.units import Row, rows, sentences
from application.ports.language_model import Source
from domain.questions import profile
from domain.sentences import paragraphs, split_sentences

ANALYZER = SnowballAnalyzer()

STATEMENT = """CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS
(In millions, except number of shares, which are reflected in thousands, and per-share amounts)
|  | Three Months Ended July 1, 2023 | Three Months Ended June 25, 2022 | Change |
|---|---|---|---|
| Net sales: |  |  |  |
| Products | $60,584 | $63,355 | (4)% |
| Services | 21,213 | 19,604 | 8% |
| Total net sales | 81,797 | 82,959 | (1)% |
| Operating expenses: |  |  |  |
| Research and development | 7,442 | 6,797 | 9% |
| Total operating expenses | 13,415 | 12,809 | 5% |
| Net income | 19,881 | 19,442 | 2% |
| Diluted earnings per share | $1.26 | $1.20 | 5% |
| Shares used in computing diluted earnings per share | 15,775,021 | 16,262,203 |  |
| Gross margin percentage | 44.5% | 43.3% |  |"""

PRICE_LIST = """Спецификация
| № | Код | Наименование | Ед. | Кол-во | Цена |
|---|---|---|---|---|---|
| 1 | Прайс* | Извещатель пожарный тип 1 | шт. | 731 | 1 200,00 |
| 2 |  | Кабель | м | 100 | 35,50 |"""

QUARTERS = ("", "Three Months Ended July 1, 2023", "Three Months Ended June 25, 2022",
            "Nine Months Ended July 1, 2023", "Nine Months Ended June 25, 2022")
QUARTER_VALUES = ("Total net sales", "81,797", "82,959", "281,065", "304,182")


def source(text: str, number: int = 1) -> Source:
    return Source(number=number, label=f"source {number}", text=text)


def all_rows(text: str) -> list[Row]:
    return list(rows((source(text),)))


def row_named(text: str, label: str) -> Row:
    return next(r for r in all_rows(text) if r.label == label)


def en(text: str) -> set[str]:
    return set(ANALYZER.terms(text, "en"))


def ru(text: str) -> set[str]:
    return set(ANALYZER.terms(text, "ru"))


def column(header: tuple[str, ...], values: tuple[str, ...], question: str,
           analyze: Callable[[str], set[str]] = en, label_at: int = 0) -> int | None:
    return choose_column(header, values, profile(question), question, analyze, label_at)


# --- paragraphs and sentences -----------------------------------------------------------

def test_a_wrapped_line_joins_its_paragraph_and_us_does_not_end_it() -> None:
    text = ("Apple designs and sells smartphones, personal computers, tablets and wearables in the U.S.\n"
            "and internationally through its retail and online stores and its direct sales force.\n"
            "The Company also sells a variety of related services.")
    assert list(paragraphs(text)) == [
        "Apple designs and sells smartphones, personal computers, tablets and wearables in the U.S. and "
        "internationally through its retail and online stores and its direct sales force.",
        "The Company also sells a variety of related services.",
    ]


def test_list_items_stay_paragraphs_of_their_own() -> None:
    text = "Срок выполнения работ:\n- начало: 1 июля 2023 г.\n- окончание: не позднее 65 дней\n(a) item a\nб) пункт б"
    assert list(paragraphs(text)) == ["Срок выполнения работ:", "- начало: 1 июля 2023 г.",
                                      "- окончание: не позднее 65 дней", "(a) item a", "б) пункт б"]


def test_record_lines_are_not_paragraphs() -> None:
    assert list(paragraphs("Name: Bolts; Qty: 731\nJust prose: here")) == ["Just prose: here"]


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("Revenue was $4.2 billion. Net income rose 3.5 percent.",
     ["Revenue was $4.2 billion.", "Net income rose 3.5 percent."]),
    ("Sales in the U.S. Grew fast.", ["Sales in the U.S. Grew fast."]),
    ("Mr. Smith joined in 2020. He leads sales.", ["Mr. Smith joined in 2020.", "He leads sales."]),
    ("Цена 100 руб. Оплата в срок.", ["Цена 100 руб. Оплата в срок."]),
    ("It cost 1.5 million. 2023 was good.", ["It cost 1.5 million.", "2023 was good."]),
    ("See Fig. 3 for details. Т.е. всё хорошо.", ["See Fig. 3 for details.", "Т.е. всё хорошо."]),
])
def test_split_sentences(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


def test_a_closing_quote_stays_with_its_sentence() -> None:
    assert split_sentences('He said "Yes." Then he left.') == ['He said "Yes."', "Then he left."]


def test_a_numbered_item_is_one_sentence() -> None:
    assert split_sentences("1. Competition from new entrants.") == ["1. Competition from new entrants."]


def test_sentences_carry_the_lead_line_of_their_list() -> None:
    text = "Срок выполнения работ:\n- начало: 1 июля 2023 г.\n- окончание: не позднее 65 дней"
    assert [(s.text, s.lead, s.position) for s in sentences((source(text),))] == [
        ("Срок выполнения работ:", "", 1),
        ("- начало: 1 июля 2023 г.", "Срок выполнения работ:", 2),
        ("- окончание: не позднее 65 дней", "Срок выполнения работ:", 3),
    ]


def test_a_paragraph_that_is_not_a_list_item_ends_the_lead() -> None:
    text = "Terms:\n- first term\n\nRevenue grew.\n\nOther text follows here."
    assert [(s.text, s.lead) for s in sentences((source(text),))][-1] == ("Other text follows here.", "")


def test_the_paragraph_after_a_list_has_no_lead() -> None:
    text = "Terms:\n- first term\n- second term\n\nRevenue grew strongly."
    assert [(s.text, s.lead) for s in sentences((source(text),))][-1] == ("Revenue grew strongly.", "")


def test_sentences_leave_tables_out_and_number_across_sources() -> None:
    found = list(sentences((source(STATEMENT + "\nAfter the table."), source("Second source.", 2))))
    assert [(s.text, s.source.number, s.position) for s in found] == [
        ("CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS (In millions, except number of shares, which are "
         "reflected in thousands, and per-share amounts)", 1, 1),
        ("After the table.", 1, 2),
        ("Second source.", 2, 3),
    ]


# --- rows -------------------------------------------------------------------------------

def test_rows_stand_under_their_section_until_its_total() -> None:
    found = all_rows(STATEMENT)
    assert [(r.label, r.section) for r in found[:6]] == [
        ("Products", "Net sales"), ("Services", "Net sales"), ("Total net sales", "Net sales"),
        ("Research and development", "Operating expenses"), ("Total operating expenses", "Operating expenses"),
        ("Net income", ""),
    ]
    assert found[0].cells == ("Products", "$60,584", "$63,355", "(4)%")
    assert found[0].table.header == ("", "Three Months Ended July 1, 2023", "Three Months Ended June 25, 2022",
                                     "Change")
    assert [r.position for r in found[:3]] == [2, 3, 4]  # the section row "Net sales:" counts as position 1


def test_a_rows_title_is_the_text_above_its_table() -> None:
    row = all_rows(STATEMENT)[0]
    assert row.title.startswith("CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS (In millions,")


def test_a_rows_title_names_the_caption_once() -> None:
    assert all_rows(PRICE_LIST)[0].title == "Спецификация"


def test_the_label_is_the_most_descriptive_of_the_first_cells_with_words() -> None:
    first, second = all_rows(PRICE_LIST)
    assert (first.label_at, first.label) == (2, "Извещатель пожарный тип 1")  # not the source code "Прайс*"
    assert (second.label_at, second.label) == (2, "Кабель")


def test_record_lines_are_rows_of_a_table_named_by_their_fields() -> None:
    found = all_rows("Name: Bolts; Qty: 731; Price: 5.00\nName: 12; Qty: 3; Color: red\nJust prose: here")
    assert [(r.cells, r.table.header, r.label) for r in found] == [
        (("", "Bolts", "731", "5.00"), ("", "Name", "Qty", "Price"), "Bolts"),
        (("", "12", "3", "red"), ("", "Name", "Qty", "Color"), "red"),  # the first value with words
    ]


def test_rows_without_words_are_skipped() -> None:
    assert all_rows("| 1 | 2 |\n|---|---|\n| 3 | 4 |") == []


# --- choose_column: periods -------------------------------------------------------------

@pytest.mark.parametrize(("question", "expected"), [
    ("What were total net sales?", 1),  # no period: the quarter, the latest
    ("Total net sales for the three months ended July 1, 2023?", 1),
    ("Total net sales for the nine months ended July 1, 2023?", 3),
    ("Net sales in the same quarter last year?", 2),
    ("Net sales year to date?", 3),
    ("Net sales year to date a year earlier?", 4),
    ("Net sales for the nine months ended June 25, 2022", 4),
    ("Net sales in the quarter ended June 25, 2022", 2),
    ("Net sales in 2022?", 2),
    ("Net sales Q3 FY22", 2),
])
def test_period_columns(question: str, expected: int) -> None:
    assert column(QUARTERS, QUARTER_VALUES, question) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("Total assets?", 1),
    ("Total assets at the end of the previous fiscal year?", 2),
    ("Total assets as of September 24, 2022?", 2),
    ("Total assets in 2022?", 2),
])
def test_balance_sheet_dates(question: str, expected: int) -> None:
    header, values = ("", "July 1, 2023", "September 24, 2022"), ("Total assets", "335,038", "352,755")
    assert column(header, values, question) == expected


def test_a_fiscal_year_may_be_named_after_the_calendar_year_it_ends_in() -> None:
    header, values = ("", "2023", "2021"), ("Revenue", "100", "90")
    # no 2022 column: a fiscal year may be named after the calendar year before
    assert column(header, values, "Revenue in fiscal 2022?") == 2
    assert column(header, values, "Revenue in 2022?") == 1  # a calendar year without a column: the latest


@pytest.mark.parametrize(("question", "expected"), [
    ("How did revenue change?", 3), ("Revenue growth year over year?", 3), ("What was revenue?", 1),
    ("Revenue in 2022", 2),
])
def test_change_columns(question: str, expected: int) -> None:
    assert column(("", "2023", "2022", "Change"), ("Revenue", "100", "90", "11%"), question) == expected


def test_an_empty_or_bare_symbol_cell_is_no_value() -> None:
    assert column(("", "2023", "2022"), ("Revenue", "", "$"), "Revenue?") is None
    assert column(("", "2023", "2022"), ("Revenue", "$", "90"), "Revenue?") == 2


# --- choose_column: names ---------------------------------------------------------------

INVENTORY = ("", "Item", "Qty", "Price", "Supplier")
INVENTORY_VALUES = ("", "Bolts", "731", "5.00", "Acme")


@pytest.mark.parametrize(("question", "expected"), [
    ("How many bolts?", 2), ("What is the price of bolts?", 3), ("Bolts supplier?", 4), ("Bolts", 2),
])
def test_non_period_columns_by_name(question: str, expected: int) -> None:
    assert column(INVENTORY, INVENTORY_VALUES, question, label_at=1) == expected


def test_russian_columns_by_name() -> None:
    first = all_rows(PRICE_LIST)[0]
    header, cells = first.table.header, first.cells
    assert column(header, cells, "Сколько извещателей?", ru, first.label_at) == 4  # "шт." then its count
    assert column(header, cells, "Какая цена извещателя?", ru, first.label_at) == 5


def test_how_much_does_it_cost_takes_the_price_column() -> None:
    first = all_rows(PRICE_LIST)[0]
    assert column(first.table.header, first.cells, "Сколько стоит извещатель?", ru, first.label_at) == 5


def test_a_count_follows_its_unit() -> None:
    assert column(("", "", "", ""), ("Извещатель", "шт.", "731", "1 200,00"), "Сколько извещателей?", ru) == 2
    assert column(("", "", "", ""), ("Bolts", "pcs", "731", "5.00"), "How many bolts?") == 2


# --- table_answer -----------------------------------------------------------------------

@pytest.mark.parametrize(("label", "expected"), [
    ("Products", "Products (Net sales) were $60,584 million for the three months ended July 1, 2023 [1]."),
    ("Total net sales", "Total net sales were $81,797 million for the three months ended July 1, 2023 [1]."),
    ("Research and development",
     "Research and development (Operating expenses) was $7,442 million for the three months ended July 1, 2023 [1]."),
    ("Net income", "Net income was $19,881 million for the three months ended July 1, 2023 [1]."),
    ("Diluted earnings per share", "Diluted earnings per share was $1.26 for the three months ended July 1, 2023 [1]."),
    ("Gross margin percentage", "Gross margin percentage was 44.5% for the three months ended July 1, 2023 [1]."),
])
def test_table_answer_wording(label: str, expected: str) -> None:
    assert table_answer(row_named(STATEMENT, label), 1, 1, "en") == expected


def test_a_share_count_is_not_in_dollars() -> None:
    row = row_named(STATEMENT, "Shares used in computing diluted earnings per share")
    assert table_answer(row, 1, 1, "en") == ("Shares used in computing diluted earnings per share was 15,775,021 "
                                             "for the three months ended July 1, 2023 [1].")


def test_russian_wording_names_the_column() -> None:
    row = row_named(STATEMENT, "Services")
    assert table_answer(row, 2, 3, "ru") == "Services (Net sales) — $19,604 млн (Three Months Ended June 25, 2022) [3]."
    budget = row_named("Смета (тыс. руб.)\n| Наименование | 2023 | 2022 |\n|---|---|---|\n| Выручка | 1 200 | 1 100 |",
                       "Выручка")
    assert table_answer(budget, 1, 1, "ru") == "Выручка — 1 200 тыс. (2023) [1]."
    assert table_answer(budget, 1, 1, "en") == "Выручка was 1 200 thousand in 2023 [1]."


def test_a_quantity_gets_no_money_unit() -> None:
    text = "Смета (тыс. руб.)\n| Наименование | Кол-во | Цена |\n|---|---|---|\n| Извещатель | 731 | 1 200,00 |"
    assert table_answer(row_named(text, "Извещатель"), 1, 1, "ru") == "Извещатель — 731 (Кол-во) [1]."


def test_a_change_column_names_the_period_before_it() -> None:
    text = ("Net sales by category (in millions)\n|  | 2023 | Change | 2022 |\n|---|---|---|---|\n"
            "| iPhone | $200,583 | 2% | $205,489 |")
    assert table_answer(row_named(text, "iPhone"), 2, 1, "en") == (
        "iPhone changed by 2% in 2023, compared with a year earlier [1].")


def test_a_change_column_after_both_periods_names_the_latest() -> None:
    assert table_answer(row_named(STATEMENT, "Products"), 3, 1, "en") == (
        "Products (Net sales) changed by (4)% for the three months ended July 1, 2023, "
        "compared with a year earlier [1].")


@pytest.mark.parametrize(("header", "phrase"), [
    ("September 24, 2022", "Total assets were 352,755 as of September 24, 2022 [2]."),
    ("2023", "Total assets were 352,755 in 2023 [2]."),
    ("Fiscal 2021", "Total assets were 352,755 in Fiscal 2021 [2]."),
    ("Qty", "Total assets were 352,755 (Qty) [2]."),
    ("", "Total assets were 352,755 [2]."),
])
def test_the_period_phrase_follows_the_header(header: str, phrase: str) -> None:
    row = all_rows(f"|  | {header} |\n|---|---|\n| Total assets | 352,755 |")[0]
    assert table_answer(row, 1, 2, "en") == phrase


# --- sentence_answer --------------------------------------------------------------------

CLAUSES = [f"clause {i:02d} adds some words of filler text here" for i in range(12)]
LONG = ", ".join(CLAUSES)  # 562 characters


def test_a_short_sentence_gets_a_full_stop_and_its_marker() -> None:
    assert sentence_answer("Revenue grew by 5 percent", 2) == "Revenue grew by 5 percent. [2]"
    assert sentence_answer("  Revenue grew by 5 percent; ", 2) == "Revenue grew by 5 percent. [2]"
    assert sentence_answer('He said "yes."', 2) == 'He said "yes." [2]'
    assert sentence_answer("Is it?", 2) == "Is it? [2]"


def test_a_long_sentence_is_trimmed_around_the_clause_that_answers() -> None:
    answer = sentence_answer(LONG, 3, lambda clause: 1.0 if "clause 07" in clause else 0.0)
    assert answer == "… " + ", ".join(CLAUSES[4:]) + ". [3]"  # widened to the later side first


def test_a_trim_from_the_start_marks_the_text_left_out() -> None:
    answer = sentence_answer(LONG, 3, lambda clause: 1.0 if "clause 00" in clause else 0.0)
    assert answer == ", ".join(CLAUSES[:8]) + ", … [3]"


def test_a_long_sentence_without_focus_is_cut() -> None:
    answer = sentence_answer(LONG, 3)
    assert answer == LONG[:399].rstrip() + "… [3]"


def test_a_single_long_clause_cut_shows_the_cut() -> None:
    assert sentence_answer("x" * 500, 3, lambda clause: 1.0) == "x" * 399 + "… [3]"
