"""Row and cell caps of XLSX sheets and CSV files, on workbooks written by openpyxl (with a declared
<dimension>, and write-only without one) and CSV text, read by the real extractors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from adapters.extractors import xlsx_scan
from adapters.extractors.sheet_caps import SheetCaps
from adapters.extractors.text import PlainTextExtractor
from adapters.extractors.xlsx import XlsxExtractor
from domain.documents import DocumentKind
from domain.errors import FileTooComplex

XLSX, CSV = DocumentKind.XLSX, DocumentKind.CSV


def workbook(rows: int, columns: int = 3, *, declared: bool = True) -> bytes:
    """A sheet "Data" of ``rows`` rows (a header, then numbers); ``declared``: with <dimension> and <cols>."""
    book = openpyxl.Workbook(write_only=not declared)
    sheet = book.active if declared else book.create_sheet("Data")
    sheet.title = "Data"
    if declared:
        sheet.column_dimensions["A"].width = 20  # a <cols><col .../></cols> before the data: not cells
    sheet.append([f"col{c}" for c in range(columns)])
    for r in range(1, rows):
        sheet.append([r * columns + c for c in range(columns)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_part(data: bytes) -> str:
    return next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("xl/worksheets/"))


@pytest.mark.parametrize("declared", [True, False])
def test_a_sheet_at_the_row_cap_is_read_and_one_row_more_is_refused(declared: bool) -> None:
    caps = SheetCaps(max_rows=300)
    assert XlsxExtractor(caps).extract(workbook(300, declared=declared), kind=XLSX).segments
    with pytest.raises(FileTooComplex, match="Sheet 'Data' (declares 301|has more than 300) rows") as caught:
        XlsxExtractor(caps).extract(workbook(301, declared=declared), kind=XLSX)
    assert caught.value.code == "file_too_complex" and caught.value.details["limit"] == 300


def test_the_declared_dimension_refuses_a_sheet_before_any_row_is_read() -> None:
    with pytest.raises(FileTooComplex, match="declares 2,000 rows; at most 1,000"):
        XlsxExtractor(SheetCaps(max_rows=1000)).extract(workbook(2000), kind=XLSX)


@pytest.mark.parametrize("declared", [True, False])
def test_the_cell_cap(declared: bool) -> None:
    caps = SheetCaps(max_cells=600)
    assert XlsxExtractor(caps).extract(workbook(20, 30, declared=declared), kind=XLSX).segments
    with pytest.raises(FileTooComplex, match="cells; at most 600 cells are read"):
        XlsxExtractor(caps).extract(workbook(21, 30, declared=declared), kind=XLSX)


@pytest.mark.parametrize("block", [7, 13, 64, 4096, 1 << 20])
def test_tags_are_counted_exactly_whatever_the_block_size(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_scan, "_BLOCK", block)
    for declared in (True, False):
        data = workbook(250, 4, declared=declared)
        package = zipfile.ZipFile(io.BytesIO(data))
        assert xlsx_scan.count_sheet(package, sheet_part(data), SheetCaps(), "Sheet 'Data'") == (250, 1000)


class _CountingZip(zipfile.ZipFile):
    """Counts the inflated bytes read from its parts."""

    read_bytes = 0

    def open(self, name, mode="r", pwd=None, **kwargs):  # noqa: ANN001, ANN201
        part = super().open(name, mode, pwd, **kwargs)
        counting, read = self, part.read

        def counted(size: int = -1) -> bytes:
            chunk = read(size)
            counting.read_bytes += len(chunk)
            return chunk

        part.read = counted
        return part


def test_counting_stops_at_the_first_block_over_the_cap() -> None:
    data = workbook(40_000, declared=False)
    package = _CountingZip(io.BytesIO(data))
    size = package.getinfo(sheet_part(data)).file_size
    with pytest.raises(FileTooComplex, match="more than 1,000 rows"):
        xlsx_scan.count_sheet(package, sheet_part(data), SheetCaps(max_rows=1000), "Sheet 'Data'")
    assert size > 4 * xlsx_scan._BLOCK  # noqa: SLF001
    assert package.read_bytes <= xlsx_scan._BLOCK  # noqa: SLF001 - one block of the whole part


def test_openpyxl_no_longer_parses_an_undeclared_sheet_at_load(tmp_path: Path) -> None:
    """Its read-only sheets take their size from <dimension> only, found before <sheetData>."""
    declared, undeclared = tmp_path / "declared.xlsx", tmp_path / "undeclared.xlsx"
    declared.write_bytes(workbook(50))
    undeclared.write_bytes(workbook(50, declared=False))
    assert openpyxl.load_workbook(declared, read_only=True)["Data"].max_row == 50
    assert openpyxl.load_workbook(undeclared, read_only=True)["Data"].max_row is None


def test_csv_rows_and_cells_are_capped_while_parsing() -> None:
    rows = "\n".join(["a,b,c", *(f"{i},{i},{i}" for i in range(9))]).encode()  # 10 rows, 30 cells
    assert PlainTextExtractor(SheetCaps(max_rows=10)).extract(rows, kind=CSV).segments
    with pytest.raises(FileTooComplex, match="The CSV file has more than 9 rows"):
        PlainTextExtractor(SheetCaps(max_rows=9)).extract(rows, kind=CSV)
    with pytest.raises(FileTooComplex, match="The CSV file has more than 29 cells"):
        PlainTextExtractor(SheetCaps(max_cells=29)).extract(rows, kind=CSV)
