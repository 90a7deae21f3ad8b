"""Tables of real filings read from the words' geometry: each table once, with its header, where it
stands on the page; ruled-table corpus files still give their tables."""

from __future__ import annotations

import ctypes
import re
from functools import cache

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.pdf_layout import layout_tables
from adapters.extractors.pdf_words import page_words
from application.ports.extractor import Extraction
from domain.documents import DocumentKind
from domain.tables import Table, parse_tables
from tests.corpus import corpus_path

AAPL, NVDA = "pdf/sec-10q/2023-Q3-AAPL.pdf", "pdf/sec-10q/2023-Q3-NVDA.pdf"


@cache
def _extract(relative: str) -> Extraction:
    return PdfExtractor().extract(corpus_path(relative).read_bytes(), kind=DocumentKind.PDF)


def _page(relative: str, page: int) -> list[str]:
    return [s.text for s in _extract(relative).segments if s.locator.page == page]


def _tables(relative: str, page: int) -> list[Table]:
    """The page's tables, a table cut into blocks put back together (each block repeats the header;
    the first holds the table's first row, a section row or a label)."""
    tables: list[Table] = []
    for text in _page(relative, page):
        for table, _, _ in parse_tables(text):
            if tables and tables[-1].header == table.header and table.rows[0][0] not in _FIRST_LABELS:
                tables[-1] = Table(header=table.header, rows=tables[-1].rows + table.rows, caption=tables[-1].caption)
            else:
                tables.append(table)
    return tables


_FIRST_LABELS = {"Revenue:"}  # NVIDIA's page 24: two tables under the same header


def _row(table: Table, label: str) -> dict[str, str]:
    [row] = [r for r in table.rows if r[0] == label]
    return dict(zip(table.header[1:], row[1:], strict=True))


def test_an_income_statement_is_one_table_with_its_period_headers() -> None:
    [table] = _tables(AAPL, 4)
    assert table.header == ("(In millions, except number of shares which are reflected in thousands and per share "
                            "amounts)", "Three Months Ended July 1, 2023", "Three Months Ended June 25, 2022",
                            "Nine Months Ended July 1, 2023", "Nine Months Ended June 25, 2022")
    assert _row(table, "Total net sales") == dict(zip(table.header[1:], ["81,797", "82,959", "293,787", "304,182"]))
    assert ("Products", "$60,584", "$63,355", "$230,901", "$245,241") in table.rows
    assert ("Operating expenses:", "", "", "", "") in table.rows
    assert _row(table, "Other income/(expense), net")["Nine Months Ended July 1, 2023"] == "(594)"
    page = "\n".join(_page(AAPL, 4))
    assert page.count("81,797") == 1  # the table once: its lines are out of the page's text
    assert page.index("CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS") < page.index("| Net sales: |")
    assert page.index("| Diluted | 15,775,021 |") < page.index("See accompanying Notes")


def test_nvidia_statements_and_notes_keep_their_headers() -> None:
    [income] = _tables(NVDA, 3)
    assert income.header[0] == "(In millions, except per share data)"
    assert _row(income, "Revenue") == dict(zip(income.header[1:], ["$18,120", "$5,931", "$38,819", "$20,923"]))
    assert _row(income, "Acquisition termination cost")["Nine Months Ended October 30, 2022"] == "1,353"
    geography, markets = _tables(NVDA, 24)
    assert _row(markets, "Data Center")["Three Months Ended October 29, 2023"] == "$14,514"
    assert _row(geography, "Taiwan")["Nine Months Ended October 30, 2022"] == "5,134"
    assert "\n".join(_page(NVDA, 24)).count("14,514") == 1


def test_a_balance_sheet_has_its_two_dates() -> None:
    [table] = _tables(AAPL, 6)
    assert table.header[1:] == ("July 1, 2023", "September 24, 2022")
    assert _row(table, "Total assets") == {"July 1, 2023": "$335,038", "September 24, 2022": "$352,755"}
    assert _row(table, "Accumulated other comprehensive income/(loss)")["July 1, 2023"] == "(11,801)"
    assert ("LIABILITIES AND SHAREHOLDERS’ EQUITY:", "", "") in table.rows
    wrapped = [r for r in table.rows if r[0].startswith("Common stock and additional paid-in capital")]
    assert wrapped and wrapped[0][0].endswith("shares issued and outstanding, respectively")


def test_percentages_keep_their_sign_and_their_column() -> None:
    [table] = _tables(AAPL, 20)
    percentages = ["44.5%", "43.3%", "43.8%", "43.6%"]
    assert _row(table, "Total gross margin percentage") == dict(zip(table.header[1:], percentages))
    assert _row(table, "Total gross margin")["Nine Months Ended July 1, 2023"] == "$128,721"


def test_headers_that_are_not_dates() -> None:
    _, securities = _tables(AAPL, 10)
    assert securities.header[1:] == tuple(f"July 1, 2023 {name}" for name in (
        "Adjusted Cost", "Unrealized Gains", "Unrealized Losses", "Fair Value", "Cash and Cash Equivalents",
        "Current Marketable Securities", "Non-Current Marketable Securities"))
    assert _row(securities, "Total (3)")["July 1, 2023 Unrealized Losses"] == "$(11,295)"
    [segments] = _tables(AAPL, 18)  # "Three Months Ended" reaches over "Change" along the rule under it
    assert _row(segments, "Americas") == dict(zip(segments.header[1:], [
        "$35,383", "$37,472", "(6)%", "$122,445", "$129,850", "(6)%"]))
    assert segments.header[3] == "Three Months Ended Change"
    [debt] = _tables(NVDA, 19)
    assert debt.header[1:] == ("Expected Remaining Term (years)", "Effective Interest Rate",
                               "Carrying Value at October 29, 2023", "Carrying Value at January 29, 2023")


def test_a_table_of_contents_is_not_read_as_a_table() -> None:
    pdf = pypdfium2.PdfDocument(corpus_path(NVDA).read_bytes())
    try:
        page = pdf[1]
        textpage = page.get_textpage()
        assert layout_tables(page_words(textpage, textpage.get_text_range(), page.get_size()[1])) == []
    finally:
        pdf.close()
    assert _tables(NVDA, 2) == []


@pytest.mark.parametrize(("relative", "needles"), [
    ("pdf/tables/nics-background-checks-2015-11.pdf", ["| Alabama | 18,870 | 23,022 | 22,650 |", "| Wyoming |"]),
    ("pdf/tables/senate-expenditures.pdf", ["| DOCUMENTNO. |"]),
    ("pdf/tables/la-precinct-bulletin-2014-p1.pdf", ["|---|"]),
    ("pdf/tables/chelsea_pdta.pdf", ["|---|"]),
])
def test_ruled_table_files_still_give_their_tables(relative: str, needles: list[str]) -> None:
    text = "\n".join(s.text for s in _extract(relative).segments)
    for needle in needles:
        assert needle in text


def test_a_dense_grid_is_read_once_with_a_header_per_column() -> None:
    relative = "pdf/tables/nics-background-checks-2015-11.pdf"
    [table] = _tables(relative, 1)  # one block: a header that long is not repeated
    assert table.header[:4] == ("State / Territory", "Permit", "Handgun", "Long Gun")
    assert len(table.header) == 25 and table.header[-1] == "Totals"
    [hawaii] = [row for row in table.rows if row[0] == "Hawaii"]
    assert hawaii[1:5] == ("1,248", "0", "0", "0")  # pdfium ran the last two zeros together: "00"
    assert "\n".join(_page(relative, 1)).count("71,137") == 1


def test_text_offsets_are_char_indices_and_word_boxes_are_pdfiums() -> None:
    """What ``page_words`` relies on: where the text is as long as the page's char count, text index
    i is char index i; the boxes read through the plain bindings are pypdfium2's loose char boxes."""
    pdf = pypdfium2.PdfDocument(corpus_path(AAPL).read_bytes())
    try:
        for index in (3, 5, 9):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            assert textpage.count_chars() == len(text)
            assert all(pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, i) == i for i in range(len(text)))
            height = page.get_size()[1]
            for word in page_words(textpage, text, height)[::7]:
                left, _, _, top = textpage.get_charbox(word.start, loose=True)
                _, bottom, right, _ = textpage.get_charbox(word.end - 1, loose=True)
                assert (word.x0, word.x1) == pytest.approx((left, right), abs=1e-3)
                assert word.top <= height - top + 1e-3 and word.bottom >= height - bottom - 1e-3
                assert text[word.start:word.end] == word.text
                assert re.fullmatch(r"\S+", word.text) or len(word.text.split()) > 16  # a line of prose: one box
            textpage.close()
            page.close()
    finally:
        pdf.close()
    assert ctypes.sizeof(pdfium_c.FS_RECTF) == 16  # the float slots page_words writes into
