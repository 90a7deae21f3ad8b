"""The PDF, XLSX and DOCX extractors on real corpus files: locators, progress, passwords, caps."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from openpyxl import Workbook

from adapters.extractors.docx import DocxExtractor
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.registry import ExtractorMap
from adapters.extractors.xlsx import ROWS_PER_BLOCK, XlsxExtractor
from application.ports.extractor import Budget, ExtractionLimits
from domain.documents import DocumentKind
from domain.errors import FileTooComplex, PasswordRequired
from tests.corpus import corpus_path

PDF, XLSX, DOCX = DocumentKind.PDF, DocumentKind.XLSX, DocumentKind.DOCX


def read(relative: str) -> bytes:
    return corpus_path(relative).read_bytes()


def test_pdf_pages_are_located_and_progress_is_reported_per_page() -> None:
    calls: list[tuple[int, int]] = []
    extraction = PdfExtractor().extract(read("pdf/text/pdflatex-4-pages.pdf"), kind=PDF,
                                        progress=lambda d, t: calls.append((d, t)))
    assert extraction.page_count == 4
    assert [s.locator.page for s in extraction.segments] == [1, 2, 3, 4]
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert "\r" not in extraction.segments[0].text


def test_pdf_tables_are_markdown_on_their_own_page() -> None:
    extraction = PdfExtractor().extract(read("pdf/sec-10q/2023-Q3-AAPL.pdf"), kind=PDF)
    tables = [s for s in extraction.segments if "|---|" in s.text]
    assert len(tables) >= 20
    assert all(t.locator.page is not None for t in tables)
    pages_with_text = {s.locator.page for s in extraction.segments if "|---|" not in s.text}
    assert {t.locator.page for t in tables} <= pages_with_text


def test_pdf_with_a_password_is_refused_then_unlocked_with_it() -> None:
    data = read("pdf/encrypted/password-example.pdf")
    with pytest.raises(PasswordRequired):
        PdfExtractor().extract(data, kind=PDF)
    with pytest.raises(PasswordRequired, match="wrong"):
        ExtractorMap([PdfExtractor()]).unlock(data, kind=PDF, password="nope")
    unlocked = ExtractorMap([PdfExtractor()]).unlock(data, kind=PDF, password="test")
    assert PdfExtractor().extract(unlocked, kind=PDF).page_count == 4


def test_pdf_page_cap_is_checked_before_reading() -> None:
    budget = Budget(ExtractionLimits(max_pages=100))
    with pytest.raises(FileTooComplex):
        PdfExtractor().extract(read("pdf/text/GeoTopo-komprimiert.pdf"), kind=PDF, budget=budget)
    assert budget.pages == 0


def test_pdf_without_ocr_completes_with_a_note_of_the_textless_pages() -> None:
    extraction = PdfExtractor(ocr=None).extract(read("pdf/scanned/multipage.pdf"), kind=PDF)
    assert extraction.notes and "OCR is not installed" in extraction.notes[0]


def test_xlsx_blocks_repeat_the_header_and_cite_cell_ranges() -> None:
    extraction = XlsxExtractor().extract(read("xlsx/FormulaEvalTestData_Copy.xlsx"), kind=XLSX)
    assert extraction.page_count == 4
    blocks = [s for s in extraction.segments if s.locator.sheet == "EverythingTests"]
    assert len(blocks) > 2
    header = blocks[0].text.splitlines()[1].rstrip(" |")
    assert all(b.text.splitlines()[1].rstrip(" |") == header for b in blocks)  # the header row repeated
    assert blocks[0].locator.label().startswith("EverythingTests!A")
    assert all(b.text.count("\n") <= ROWS_PER_BLOCK + 2 for b in blocks)


def test_xlsx_formulas_give_cached_values() -> None:
    text = "\n".join(s.text for s in XlsxExtractor().extract(read("xlsx/simple-monthly-budget.xlsx"),
                                                             kind=XLSX).segments)
    assert "2336" in text and "=SUM" not in text


def test_xlsx_cells_with_pipes_are_escaped_once() -> None:
    book = Workbook()
    book.active.append(["Item", "Note"])
    book.active.append(["a|b", "c  d"])
    buffer = io.BytesIO()
    book.save(buffer)
    text = XlsxExtractor().extract(buffer.getvalue(), kind=XLSX).segments[0].text
    assert "| a\\|b | c d |" in text and "\\\\|" not in text  # one escape: still two columns


def test_xlsx_shared_string_amplification_stops_at_the_character_cap() -> None:
    with pytest.raises(FileTooComplex):
        XlsxExtractor().extract(read("hostile/poc-shared-strings.xlsx"), kind=XLSX,
                                budget=Budget(ExtractionLimits(max_characters=1_000_000)))


def test_docx_keeps_body_order_and_the_heading_path() -> None:
    segments = DocxExtractor().extract(read("docx/blk-paras-and-tables.docx"), kind=DOCX).segments
    assert "|---|" in segments[1].text and "|---|" not in segments[0].text  # a table between paragraphs
    assert [s.locator.paragraph for s in segments] == sorted(s.locator.paragraph for s in segments)
    nested = DocxExtractor().extract(read("docx/heading123.docx"), kind=DOCX).segments
    assert nested[-1].locator.section == "First paragraph > Second paragraph > Third paragraph"


def test_a_long_docx_table_is_cut_into_blocks_that_repeat_its_header() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Price list")
    table = document.add_table(rows=1, cols=3)
    for cell, name in zip(table.rows[0].cells, ("Item", "Quantity", "Price"), strict=True):
        cell.text = name
    for i in range(120):
        for cell, value in zip(table.add_row().cells, (f"Fire detector model {i}", str(i + 1), f"{598 + i},25"), strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    segments = DocxExtractor().extract(out.getvalue(), kind=DOCX).segments
    blocks = [s for s in segments if "|---|" in s.text]
    assert len(blocks) > 1
    assert all(s.text.startswith("| Item | Quantity | Price |\n|---|---|---|") for s in blocks)
    assert {s.locator.paragraph for s in blocks} == {2}  # the table's place in the body
    rows = [line for s in blocks for line in s.text.splitlines()[2:]]
    assert rows[0] == "| Fire detector model 0 | 1 | 598,25 |" and len(rows) == 120


def _column_chars(table: str) -> list[Counter[str]]:
    """Each column's characters but spaces (order-free: pdfium and pdfplumber order a cell's lines
    differently, and pdfium adds a space at some wide gaps in a number, e.g. "98 452")."""
    rows = [line.strip("|").split(" | ") for line in table.splitlines() if not line.startswith("|---")]
    return [Counter("".join(row[i] for row in rows).replace(" ", "")) for i in range(len(rows[0]))]


@pytest.mark.parametrize(("relative", "index"), [("pdf/tables/nics-background-checks-2015-11.pdf", 0),
                                                 ("pdf/tables/la-precinct-bulletin-2014-p1.pdf", 0),
                                                 ("pdf/sec-10q/2023-Q3-AAPL.pdf", 3)])
def test_the_pdfium_table_finder_agrees_with_pdfplumber(relative: str, index: int) -> None:
    """The fast path (pdfium boxes into our grid finder, cell text from pdfium) vs pdfplumber itself:
    the same tables and columns holding the same words (bands of rows may be split into rows)."""
    import pypdfium2

    from adapters.extractors.pdf_tables import page_tables, path_boxes, plumber_tables

    data = read(relative)
    page = pypdfium2.PdfDocument(data)[index]
    height = page.get_size()[1]
    fast = page_tables(page.get_textpage(), path_boxes(page, height), height)
    slow = plumber_tables(data, [index])[index]
    assert len(fast) == len(slow) >= 1
    columns = [(a, b) for f, s in zip(fast, slow, strict=True)
               for a, b in zip(_column_chars(f), _column_chars(s), strict=True)]
    assert sum(a == b for a, b in columns) / len(columns) >= 0.99
