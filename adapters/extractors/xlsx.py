"""Excel (.xlsx): every sheet streamed read-only, rows in blocks under their repeated header row.

Formula cells give their cached value; where none is cached (a file saved by a library that
never calculated) the formula text is shown instead: two read-only passes walk the same rows.
The first non-empty row of a sheet is its header; data rows follow in blocks of at most
``ROWS_PER_BLOCK`` consecutive rows or ``BLOCK_CHARS`` characters (an empty row ends a block, so
the k-th row of a block is sheet row first + k and a citation can name its row), each a Markdown
table that repeats the header, located ``Sheet!A2:F21``. Every cell's text is counted against the character cap as it
is read, so a shared-strings amplification workbook stops at the cap, not at the end of memory.
Rows and cells are capped (adapters.extractors.sheet_caps): a sheet's declared <dimension> is
checked before it is read, its rows counted as they stream. Merged ranges (read-only mode does not expose them) are read from the sheet's XML part by
adapters.extractors.xlsx_merges: a merged header labels every column it spans, a cell merged down
a column repeats in each row it spans. openpyxl parses with defusedxml when it is installed (it is)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from adapters.extractors.markdown import markdown_table
from adapters.extractors.sheet_caps import SheetCaps, SheetCounter
from adapters.extractors.xlsx_merges import MergeFiller, merged_ranges
from adapters.extractors.zip_guard import open_zip
from application.ports.extractor import Budget, Extraction, ProgressCallback
from domain.chunks import Segment
from domain.documents import DocumentKind
from domain.errors import DomainError, FileCorrupt, NoTextFound
from domain.locators import Locator

ROWS_PER_BLOCK = 20
BLOCK_CHARS = 1500
_MAX_CELL_CHARS = 2000
warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")  # unsupported extensions


class XlsxExtractor:
    """Implements application.ports.extractor.Extractor for XLSX."""

    kinds = frozenset({DocumentKind.XLSX})
    name = "xlsx"
    version = "3"

    def __init__(self, caps: SheetCaps = SheetCaps()) -> None:
        self.caps = caps

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None,
                budget: Budget | None = None) -> Extraction:
        budget = budget or Budget()
        package = open_zip(data)
        # imports openpyxl (about 0.3 s: with the first workbook, not at start-up) and patches its sheet sizing
        from adapters.extractors.xlsx_scan import count_sheet

        values, formulas = open_workbooks(data)
        try:
            names = values.sheetnames
            budget.check_pages(len(names))
            segments: list[Segment] = []
            for number, name in enumerate(names, start=1):
                budget.page()
                sheets = values[name], formulas[name]
                where = f"Sheet {name!r}"
                self.caps.check_declared(where, sheets[0].max_row, sheets[0].max_column)  # its <dimension>
                count_sheet(package, getattr(sheets[0], "_worksheet_path", ""), self.caps, where)  # its tags
                for sheet in sheets:
                    sheet.reset_dimensions()  # a stale <dimension> would hide rows
                rows = zip(sheets[0].iter_rows(values_only=True), sheets[1].iter_rows(values_only=True))
                merges = MergeFiller(merged_ranges(package, getattr(sheets[0], "_worksheet_path", "")))
                segments.extend(_blocks(name, rows, budget, merges, self.caps.counter(where)))
                if progress is not None:
                    progress(number, len(names))
        except (DomainError, MemoryError):
            raise
        except Exception as error:  # a damaged part: KeyError, ValueError, zlib.error, ParseError ... (`make fuzz`)
            raise FileCorrupt("The Excel workbook is damaged and cannot be read.") from error
        finally:
            values.close()
            formulas.close()
            package.close()
        if not segments:
            raise NoTextFound("The workbook's sheets are empty.")
        return Extraction(segments=segments, page_count=len(names))


def _blocks(sheet: str, rows: Iterator[tuple[tuple, tuple]], budget: Budget,
            merges: MergeFiller | None = None, counter: SheetCounter | None = None) -> Iterator[Segment]:
    header: list[str] | None = None
    block: list[list[str]] = []
    first = last = width = chars = 0
    for number, (cached, formula) in enumerate(rows, start=1):
        if counter is not None:
            counter.row(len(cached))
        cells = [budget.add(_render(v, f)) for v, f in zip(cached, formula)]
        if merges:
            before = sum(map(len, cells))
            cells = merges.fill(number, cells, header=header is None and any(cells))
            budget.add(" " * (sum(map(len, cells)) - before))  # filled-in copies count against the cap
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if header is None:
            header, first, last, width = cells, number, number, len(cells)
            continue
        if block and (len(block) >= ROWS_PER_BLOCK or chars >= BLOCK_CHARS or number != last + 1):
            yield _segment(sheet, header, block, first, last, width)
            block, chars = [], 0
        if not block:
            first = number
        block.append(cells)
        last, width, chars = number, max(width, len(cells)), chars + sum(map(len, cells))
        if number % 1000 == 0:
            budget.check_time()
    if block:
        yield _segment(sheet, header or [], block, first, last, width)
    elif header is not None:
        yield _segment(sheet, [], [header], first, last, width)


def _segment(sheet: str, header: list[str], block: list[list[str]], first: int, last: int, width: int) -> Segment:
    table = markdown_table([header, *block] if header else block, drop_empty_columns=False)  # columns stay put
    cells = f"A{first}:{_column_letter(max(width, 1))}{last}"
    return Segment(text=f"Sheet {sheet}\n{table}", locator=Locator(sheet=sheet, cells=cells))


def _render(value: object, formula: object) -> str:
    if value is None:
        value = formula  # no cached value: the formula text (or None)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    elif isinstance(value, datetime):
        value = value.isoformat(sep=" ").removesuffix(" 00:00:00")
    elif isinstance(value, date | time):
        value = value.isoformat()
    # cut first: a shared string may be megabytes; whitespace collapsed here (an all-space cell is
    # empty), pipes are escaped once, by markdown_table
    return " ".join(str(value)[:_MAX_CELL_CHARS].split())


def _column_letter(index: int) -> str:
    """1 -> A, 27 -> AA (openpyxl's get_column_letter, without importing openpyxl at start-up)."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def open_workbooks(data: bytes) -> tuple[Any, Any]:
    """The workbook read twice, read-only: with the cached values and with the formulas (a cell
    without a cached value shows its formula); FileCorrupt when openpyxl cannot read it."""
    import openpyxl

    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises KeyError, ValueError, InvalidFileException ...
        raise FileCorrupt("The Excel workbook is damaged and cannot be read.") from error
    return values, formulas
