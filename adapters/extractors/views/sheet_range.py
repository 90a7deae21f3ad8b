"""A cited range of an Excel sheet for the citation viewer: the sheet's header row and the range's
rows, cells shown as the sheet formats them (adapters.extractors.views.cell_format), the cited rows'
cells flagged.

The workbook is opened read-only after the zip guards, like the extractor; rows stream from the top
and reading stops after the range's last row. The header is the sheet's first non-empty row, as the
extractor took it. At most ``MAX_ROWS`` rows of the range and ``MAX_COLUMNS`` columns are shown
(``truncated`` says when more were cut). A cell without a cached value shows its formula. Merged
ranges are not filled in as the extractor fills them: a merged label stands in its first cell only."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

from adapters.extractors.sheet_caps import SheetCaps
from adapters.extractors.views.cell_format import shown
from adapters.extractors.xlsx import _column_letter as column_letter, open_workbooks
from adapters.extractors.zip_guard import open_zip
from domain.citation_views import SheetCell, SheetRow, SheetView
from domain.errors import DomainError, FileCorrupt, InvalidInput

MAX_ROWS = 60
MAX_COLUMNS = 40
_RANGE = re.compile(r"^([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})$")
warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")


def sheet_range(data: bytes, sheet: str, cells: str, cited_rows: Sequence[int], caps: SheetCaps) -> SheetView:
    first_col, first_row, last_col, last_row = parse_range(cells)
    shown_last_col = min(last_col, first_col + MAX_COLUMNS - 1)
    shown_last_row = min(last_row, first_row + MAX_ROWS - 1)
    cited = set(cited_rows) or set(range(first_row, last_row + 1))
    open_zip(data).close()
    values, formulas = open_workbooks(data)
    try:
        if sheet not in values.sheetnames:
            raise FileCorrupt(f"The workbook has no sheet {sheet!r}.")
        caps.check_declared(f"Sheet {sheet!r}", values[sheet].max_row, values[sheet].max_column)
        rows = zip(values[sheet].iter_rows(max_row=shown_last_row, max_col=shown_last_col),
                   formulas[sheet].iter_rows(max_row=shown_last_row, max_col=shown_last_col))
        header: SheetRow | None = None
        body: list[SheetRow] = []
        for number, (cached, formula) in enumerate(rows, start=1):
            if number < first_row and header is not None:
                continue  # rows between the header and the range: streamed past, not read
            texts = [shown(v.value if v.value is not None else f.value, getattr(v, "number_format", None))
                     for v, f in zip(cached, formula)][first_col - 1:]
            texts += [""] * (shown_last_col - first_col + 1 - len(texts))
            flagged = number >= first_row and number in cited
            row = SheetRow(number=number, header=number < first_row, cells=tuple(
                SheetCell(column=column_letter(first_col + i), value=text, cited=flagged)
                for i, text in enumerate(texts)))
            if number >= first_row:
                body.append(row)
            elif any(texts):
                header = row
    except DomainError:
        raise
    except Exception as error:  # a damaged part (zlib.error, ParseError, KeyError ...)
        raise FileCorrupt("The Excel workbook is damaged and cannot be read.") from error
    finally:
        values.close()
        formulas.close()
    columns = tuple(column_letter(c) for c in range(first_col, shown_last_col + 1))
    return SheetView(sheet=sheet, cells=f"{columns[0]}{first_row}:{columns[-1]}{shown_last_row}", columns=columns,
                     rows=tuple(([header] if header else []) + body),
                     truncated=shown_last_col < last_col or shown_last_row < last_row)


def parse_range(cells: str) -> tuple[int, int, int, int]:
    """"B12:F31" -> (2, 12, 6, 31): first column, first row, last column, last row."""
    match = _RANGE.match(cells)
    if match is None:
        raise InvalidInput(f"{cells!r} is not a cell range like A1:F20.")
    first_col, last_col = column_number(match.group(1)), column_number(match.group(3))
    first_row, last_row = int(match.group(2)), int(match.group(4))
    if first_col > last_col or first_row > last_row or first_row < 1:
        raise InvalidInput(f"{cells!r} is not a cell range like A1:F20.")
    return first_col, first_row, last_col, last_row


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
