"""Merged cells in .xlsx: read from the sheet XML (read-only openpyxl does not expose them), a merged
header labels each column it spans, a cell merged down a column repeats in each row; locators hold."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from adapters.extractors import xlsx_merges
from adapters.extractors.xlsx import XlsxExtractor
from adapters.extractors.xlsx_merges import MergeFiller, merged_ranges
from application.ports.extractor import Budget, ExtractionLimits
from domain.documents import DocumentKind
from domain.errors import FileTooComplex


def workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(["Region", "Sales 2023", None, None, "Owner"])
    sheet.merge_cells("B1:D1")
    rows = [["North", 1, 2, 3, "Ann"], [None, 4, 5, 6, "Bob"], [None, 7, 8, 9, "Cy"], ["South", 10, 11, 12, "Di"]]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("E4:E5")  # down across the last two rows
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_merged_header_labels_its_columns_and_merged_rows_repeat_their_value() -> None:
    extraction = XlsxExtractor().extract(workbook(), kind=DocumentKind.XLSX)
    [segment] = extraction.segments
    lines = segment.text.splitlines()
    assert lines[0] == "Sheet Sales"
    assert lines[1] == "| Region | Sales 2023 | Sales 2023 | Sales 2023 | Owner |"
    assert lines[3:] == ["| North | 1 | 2 | 3 | Ann |", "| North | 4 | 5 | 6 | Bob |", "| North | 7 | 8 | 9 | Cy |",
                         "| South | 10 | 11 | 12 | Cy |"]
    assert (segment.locator.sheet, segment.locator.cells) == ("Sales", "A2:E5")


def test_merged_ranges_are_read_from_the_sheet_part() -> None:
    package = zipfile.ZipFile(io.BytesIO(workbook()))
    assert sorted(merged_ranges(package, "/xl/worksheets/sheet1.xml")) == [(1, 2, 1, 4), (2, 1, 4, 1), (5, 4, 5, 5)]
    assert merged_ranges(package, "xl/worksheets/missing.xml") == []


def _package(xml: bytes) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("s.xml", xml)
    return zipfile.ZipFile(buffer)


def test_prefixed_elements_single_quotes_and_block_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_merges, "_BLOCK", 7)  # every element straddles a block boundary
    xml = (b"<x:worksheet><x:sheetData/><x:mergeCells count='2'><x:mergeCell ref='A1:B1'/>"
           b'<x:mergeCell ref="AA10:AB12"/></x:mergeCells></x:worksheet>')
    assert merged_ranges(_package(xml), "s.xml") == [(1, 1, 2, 1), (27, 10, 28, 12)]


def test_huge_ranges_are_ignored_and_the_count_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    xml = b'<mergeCells><mergeCell ref="A1:A1048576"/><mergeCell ref="A1:XFD1"/><mergeCell ref="B2:C3"/></mergeCells>'
    assert merged_ranges(_package(xml), "s.xml") == [(2, 2, 3, 3)]
    monkeypatch.setattr(xlsx_merges, "MAX_RANGES", 3)
    many = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (i, i) for i in range(1, 50))
    assert len(merged_ranges(_package(many), "s.xml")) == 3


def test_filled_copies_count_against_the_character_cap() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Title " * 300])
    sheet.merge_cells("A1:CV1")  # 100 columns
    sheet.append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(FileTooComplex):
        XlsxExtractor().extract(buffer.getvalue(), kind=DocumentKind.XLSX,
                                budget=Budget(ExtractionLimits(max_characters=20_000)))


def test_filler_without_ranges_leaves_rows_alone() -> None:
    filler = MergeFiller([(1, 1, 1, 1)])
    assert not filler
    assert filler.fill(1, ["a", ""], header=True) == ["a", ""]
