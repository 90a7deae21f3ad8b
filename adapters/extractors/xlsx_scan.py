"""Size checks of an XLSX sheet before openpyxl reads it.

``count_sheet`` inflates the sheet's XML part in blocks and counts its <row> and <c> tags with a
regular expression (C speed, about a second for a million rows), stopping at the first block over a
cap: a sheet too big fails in seconds, whether or not it declares its size. ``declared_size``
replaces openpyxl's read-only ``_get_size``: openpyxl looks for <dimension> on "end" events, so a
sheet without one was parsed to its end at load time only to find none (the bulk of the 107 s a
million-row upload cost); this one stops at the start of <sheetData>."""

from __future__ import annotations

import re
import zipfile
import zlib
from xml.etree.ElementTree import iterparse

from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension

from adapters.extractors.sheet_caps import SheetCaps
from domain.errors import FileCorrupt

_BLOCK = 1 << 20
_TAIL = 64  # bytes kept from the previous block: a tag cut in two is counted once, in the next one
_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData[\s/>]")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def count_sheet(package: zipfile.ZipFile, path: str, caps: SheetCaps, where: str) -> tuple[int, int]:
    """The sheet's rows and cells as tagged in its XML; FileTooComplex as soon as one passes its cap."""
    counter = caps.counter(where)
    rows = cells = 0
    in_data = False
    tail = b""
    try:
        with package.open(path.lstrip("/")) as part:
            while block := part.read(_BLOCK):
                text, start = tail + block, 0
                if not in_data:
                    found = _DATA.search(text)
                    in_data, start = found is not None, found.end() if found else len(text)
                if in_data:
                    rows += _count(_ROW, text, start, len(tail))
                    cells += _count(_CELL, text, start, len(tail))
                    counter.check(rows, cells)
                tail = text[-_TAIL:]
    except KeyError:
        return 0, 0  # no such part: openpyxl says what is wrong with the package
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as error:
        raise FileCorrupt(f"The sheet part {path!r} is damaged.") from error
    return rows, cells


def _count(pattern: re.Pattern[bytes], text: bytes, start: int, seen: int) -> int:
    """Matches starting at or after ``start`` that end past the ``seen`` bytes counted before."""
    return sum(1 for match in pattern.finditer(text, start) if match.end() > seen)


def declared_size(self: ReadOnlyWorksheet) -> None:
    source = self._get_source()
    try:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                boundaries = SheetDimension.from_tree(element).boundaries
                if boundaries is not None:
                    self._min_column, self._min_row, self._max_column, self._max_row = boundaries
                return
            if element.tag == DATA_TAG:
                return  # not declared
    finally:
        source.close()


ReadOnlyWorksheet._get_size = declared_size  # noqa: SLF001 - see the module docstring
