"""Checking and narrowing citations: renumbering, support, narrowing (domain.citations), the
citations users see (application.citing.cite) and renumbering a streamed answer."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from application.citing import StreamRenumbering, cite
from domain.chunks import Chunk
from domain.citations import best_line, drop_markers, narrow, renumber, supports
from domain.conversations import Citation
from domain.locators import Locator

DOCUMENT = uuid.uuid4()
REVENUE = "Revenue was 4.2 billion dollars in 2023."
EMPLOYEES = "The company has 150 employees in Ohio."
WEATHER = "The weather was sunny all week."
LINES = "Introduction to the report\nRevenue was 4.2 billion dollars\nNet income fell to 300 million\nOutlook is stable"
STOCK = """Sheet Stock
| Item | Qty | Price |
|---|---|---|
| Bolts | 731 | 5.00 |
| Nuts | 120 | 2.50 |
| Screws | 45 | 1.25 |"""
SALES = "| Total net sales | 81,797 | 82,959 |"


def chunk(text: str, *locators: Locator, ordinal: int = 0) -> Chunk:
    return Chunk(document_id=DOCUMENT, ordinal=ordinal, text=text, locators=locators or (Locator(page=1),),
                 start=0, end=len(text), token_count=10)


def citation(number: int, source: Chunk, quote: str, *locators: Locator) -> Citation:
    return Citation(number=number, document_id=DOCUMENT, chunk_ordinal=source.ordinal,
                    locators=locators or source.locators, quote=quote)


# --- renumber / drop_markers ------------------------------------------------------------

def test_renumber_by_first_appearance_and_drop_unknown_sources() -> None:
    assert renumber("A [4]. B [1]. C [4] D [9].", {1, 4}) == ("A [1]. B [2]. C [1] D.", {1: 4, 2: 1})


def test_renumber_keeps_adjacent_and_repeated_markers() -> None:
    assert renumber("A[2][2] B [3][2]", {2, 3}) == ("A[1][1] B [2][1]", {1: 2, 2: 3})


def test_renumber_without_markers() -> None:
    assert renumber("No markers, [x] or [1000].", {1}) == ("No markers, [x] or [1000].", {})


def test_drop_markers_renumbers_the_rest() -> None:
    assert drop_markers("A [1]. B [2]. C [3].", {2}) == "A [1]. B. C [2]."
    assert drop_markers("A [1]. B [2]. C [3] [1].", {1}) == "A. B [1]. C [2]."
    assert drop_markers("A [1].", set()) == "A [1]."


# --- supports ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "claim"), [
    (SALES, "Net sales were $81,797 million"),
    (SALES, "It was 81797"),  # thousands separators left out
    ("Revenue was 1,234,567 dollars", "a figure of 1234567"),
    ("Выручка 1 234 567 руб.", "составила 1234567"),  # a space as a thousands separator
    (SALES, "It was $81.8 billion"),  # a table in millions, a claim in billions
    ("81,797", "$82 billion"),
    ("Revenue was 4.2 billion", "It was $4,200 million"),
    ("Rev 81.8", "81,797"),
    ("The penalty is 0.1% per day", "0.1%"),
    ("Цена 39 921 700,00 руб.", "Цена составляет 39 921 700,00 рублей"),
    ("Цена 39 921 700,00 руб.", "39921700 руб."),  # a decimal comma
    ("Цена 39 921 700,00 руб.", "около 39,9 млн руб."),
    ("Сумма 1 500 тыс. руб.", "1,5 млн руб."),
    ("Revenue was 81.8 billion", "It was $81,800 million"),
])
def test_a_claims_number_supports_it_in_another_spelling_or_unit(text: str, claim: str) -> None:
    assert supports(text, claim)


@pytest.mark.parametrize(("text", "claim"), [
    ("81,797", "It was $85 billion"),
    ("Net sales 81,797", "It was $1,797 million"),
    ("nothing here", "It was 13"),
])
def test_another_number_does_not_support_a_claim(text: str, claim: str) -> None:
    assert not supports(text, claim)


@pytest.mark.parametrize("claim", ["It was $81.7 billion", "It was $81,900 million"])
def test_a_near_but_differently_rounded_number_does_not_support_a_claim(claim: str) -> None:
    assert not supports("81,797", claim)


def test_one_digit_numbers_do_not_count() -> None:
    assert not supports("7", "seven apples 7")  # "7" is too short to tell, "seven apples" not in the text
    assert supports("7 apples", "7")  # a claim with no number or word to check is supported


def test_words_match_by_their_first_letters() -> None:
    assert supports("The suppliers delivered the goods", "a supplier delivers")
    assert supports("штрафа в размере", "Штраф составляет")  # one of two words: 50% >= 40%
    assert not supports("The weather was sunny", "Revenue grew strongly this quarter")


def test_two_words_support_a_long_claim() -> None:
    assert supports("value 2023 markets", "In 2021 the value rose strongly, said analysts of markets in Europe")


def test_function_words_are_ignored() -> None:
    # every word of the claim is a function word (or shorter than 3 letters): nothing to check
    assert supports("unrelated text", "the company according to the document")
    assert not supports("the company according to the document", "unrelated claim text")


def test_a_bare_marker_is_supported() -> None:
    assert supports("anything", "")
    assert supports("anything", "[1]")


def test_a_figure_next_to_another_in_plain_text_supports_a_claim() -> None:
    assert supports("Total net sales 81,797 82,959", "$81,797 million")


# --- narrow / best_line -----------------------------------------------------------------

def test_a_line_range_narrows_to_the_line_holding_the_claim() -> None:
    locator = Locator(line_start=10, line_end=13)
    assert narrow(locator, LINES, "Net income fell to 300 million") == Locator(line_start=12, line_end=12)
    assert narrow(Locator(line_start=10), LINES, "Outlook stable") == Locator(line_start=13, line_end=13)


def test_a_line_range_stays_when_nothing_stands_out() -> None:
    locator = Locator(line_start=10, line_end=13)
    assert narrow(locator, LINES, "unrelated zzz") == locator
    assert narrow(locator, LINES, "") == locator
    assert narrow(locator, "one line only", "one") == locator
    assert narrow(locator, "revenue up\nrevenue down", "revenue") == locator  # a tie


def test_a_line_past_the_range_keeps_the_range() -> None:
    locator = Locator(line_start=10, line_end=11)
    assert narrow(locator, LINES, "Outlook stable") == locator


@pytest.mark.parametrize(("evidence", "cells"), [("Bolts 731", "A2:C2"), ("Nuts 120", "A3:C3"), ("Screws", "A4:C4")])
def test_a_cell_range_narrows_to_the_sheet_row(evidence: str, cells: str) -> None:
    # the block's range covers its data rows (A2:C4); the header line and separator are not rows of it
    assert narrow(Locator(sheet="Stock", cells="A2:C4"), STOCK, evidence) == Locator(sheet="Stock", cells=cells)


def test_a_cell_range_stays_without_a_header_or_past_its_rows() -> None:
    headerless = "| Bolts | 731 |\n| Nuts | 120 |\n| Screws | 45 |"
    assert narrow(Locator(sheet="S", cells="A2:B4"), headerless, "Nuts") == Locator(sheet="S", cells="A2:B4")
    assert narrow(Locator(sheet="S", cells="A2:C3"), STOCK, "Screws") == Locator(sheet="S", cells="A2:C3")
    assert narrow(Locator(sheet="S", cells="bad"), STOCK, "Nuts") == Locator(sheet="S", cells="bad")


def test_a_page_locator_is_unchanged() -> None:
    assert narrow(Locator(page=3), LINES, "Net income fell") == Locator(page=3)
    assert narrow(Locator(page=3, paragraph=2), STOCK, "Nuts") == Locator(page=3, paragraph=2)


def test_best_line() -> None:
    assert best_line(["Revenue 10", "Net income 5", "Other"], "net income was 5") == 1
    assert best_line(["a revenue", "b revenue"], "revenue") is None  # a tie
    assert best_line(["abc"], "zzz") is None
    assert best_line([], "x") is None
    assert best_line(["x"], "") is None


# --- cite -------------------------------------------------------------------------------

def test_cite_renumbers_by_first_appearance_and_removes_unknown_sources() -> None:
    revenue, employees = chunk(REVENUE, ordinal=0), chunk(EMPLOYEES, ordinal=1)
    text, citations = cite("There are 150 employees [7]. Revenue was $4.2 billion [3]. Nice [9].",
                           {3: revenue, 7: employees})
    assert text == "There are 150 employees [1]. Revenue was $4.2 billion [2]. Nice."
    assert citations == [citation(1, employees, EMPLOYEES), citation(2, revenue, REVENUE)]


def test_an_unsupported_citation_is_dropped_and_the_rest_renumbered() -> None:
    revenue, weather, employees = chunk(REVENUE, ordinal=0), chunk(WEATHER, ordinal=2), chunk(EMPLOYEES, ordinal=1)
    text, citations = cite("Revenue was $4.2 billion [3]. The CEO is Jane Doe [5]. Employees 150 [7].",
                           {3: revenue, 5: weather, 7: employees})
    assert text == "Revenue was $4.2 billion [1]. The CEO is Jane Doe. Employees 150 [2]."
    assert citations == [citation(1, revenue, REVENUE), citation(2, employees, EMPLOYEES)]


def test_a_marker_without_a_claim_is_kept() -> None:
    weather = chunk(WEATHER)
    assert cite("[1] Revenue grew.", {1: weather}) == ("[1] Revenue grew.", [citation(1, weather, WEATHER)])


def test_a_quote_is_narrowed_to_the_line() -> None:
    source = chunk(LINES, Locator(line_start=1, line_end=4))
    text, citations = cite("Net income was 300 million [1].", {1: source})
    assert text == "Net income was 300 million [1]."
    assert citations == [citation(1, source, "Net income fell to 300 million", Locator(line_start=3, line_end=3))]


def test_a_quote_is_narrowed_to_the_row_then_its_header() -> None:
    source = chunk(STOCK, Locator(sheet="Stock", cells="A2:C4"))
    _, citations = cite("There are 120 nuts [1].", {1: source})
    assert citations == [citation(1, source, "| Nuts | 120 | 2.50 |\n| Item | Qty | Price |",
                                  Locator(sheet="Stock", cells="A3:C3"))]


def test_a_citation_is_pinpointed_to_the_page_that_supports_it() -> None:
    text = REVENUE + "\n" + EMPLOYEES
    source = Chunk(document_id=DOCUMENT, ordinal=0, text=text, locators=(Locator(page=1), Locator(page=2)),
                   start=100, end=100 + len(text), token_count=20,
                   spans=((100, 100 + len(REVENUE)), (101 + len(REVENUE), 100 + len(text))))
    _, citations = cite("It has 150 employees [1].", {1: source})
    assert citations == [citation(1, source, EMPLOYEES, Locator(page=2))]


# --- StreamRenumbering ------------------------------------------------------------------

def streamed(answer: str, known: set[int], cuts: list[int]) -> str:
    stream = StreamRenumbering(known)
    bounds = [0, *sorted(cuts), len(answer)]
    pieces = [stream.feed(answer[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    return "".join(pieces) + stream.flush()


ANSWER = "Sales were $81.8 billion [12], up from [3] a year earlier [12][7]."


def test_every_single_split_gives_the_renumbered_answer() -> None:
    expected = renumber(ANSWER, {3, 7, 12})[0]
    assert expected == "Sales were $81.8 billion [1], up from [2] a year earlier [1][3]."
    for cut in range(len(ANSWER) + 1):
        assert streamed(ANSWER, {3, 7, 12}, [cut]) == expected, cut


def test_a_piece_ending_inside_a_marker_is_held_until_it_closes() -> None:
    stream = StreamRenumbering({12})
    assert stream.feed("Sales [1") == "Sales"  # the space goes with the marker if its source is unknown
    assert stream.feed("2") == ""
    assert stream.feed("] rose") == " [1] rose"
    assert stream.feed(" [") == ""
    assert stream.flush() == " ["


def test_trailing_whitespace_is_held_until_the_next_piece() -> None:
    stream = StreamRenumbering({1})
    assert stream.feed("Sales rose \n") == "Sales rose"
    assert stream.feed("Then") == " \nThen"
    assert stream.feed(" ") == ""
    assert stream.flush() == " "


_TOKENS = st.sampled_from(["Sales", " ", "rose", ".", ",", "\n", "[1]", "[3]", "[12]", "[", "]", "1", "2", "7", "x"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_TOKENS, max_size=25).map("".join), st.data())
def test_any_splits_give_the_renumbered_answer(answer: str, data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(answer)), max_size=8))
    known = set(range(1000))  # loose brackets and digits can form any marker
    assert streamed(answer, known, cuts) == renumber(answer, known)[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Revenue", " ", "grew", ".", "\n", "[1]", "[3]", "[12]"]), max_size=20).map("".join),
       st.data())
def test_any_splits_of_an_answer_citing_known_sources(answer: str, data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(answer)), max_size=8))
    assert streamed(answer, {3, 12, 1}, cuts) == renumber(answer, {3, 12, 1})[0]


def test_an_unknown_marker_split_after_its_space_leaves_no_space() -> None:
    answer = "Nice [9]."
    assert [streamed(answer, {1}, [cut]) for cut in range(len(answer) + 1)] == ["Nice."] * (len(answer) + 1)
