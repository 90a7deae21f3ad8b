"""Merged cell ranges of a worksheet, read from its XML part in the package.

openpyxl's read-only mode does not expose ``<mergeCells>``, so the part is scanned as bytes, a
block at a time, for ``<mergeCell ref="B1:D1"/>`` elements: nothing is expanded (no XML parser
runs, so no entity can be), memory stays at one block, and the part has passed the zip guards.
Ranges larger than ``MAX_COLUMNS`` x ``MAX_ROWS`` are ignored (a hostile sheet could merge a
million rows to multiply one value), and at most ``MAX_RANGES`` are read.

``MergeFiller`` applies them to rows as they stream: in the header row a merged cell labels every
column it spans; below it, a cell merged down a column gives its value to each row it spans."""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict

Range = tuple[int, int, int, int]  # first column, first row, last column, last row (1-based)

MAX_COLUMNS = 100
MAX_ROWS = 10_000
MAX_RANGES = 10_000
_BLOCK = 1 << 20
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']"  # <x:mergeCell ref="B1:D1"/>
                    rb"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})[\"']")


def merged_ranges(package: zipfile.ZipFile, part: str) -> list[Range]:
    """The sheet's merged ranges (empty when the part is missing)."""
    try:
        source = package.open(part.lstrip("/"))
    except KeyError:
        return []
    ranges: list[Range] = []
    tail = b""
    with source:
        while len(ranges) < MAX_RANGES:
            block = source.read(_BLOCK)
            if not block:
                break
            text = tail + block
            cut = text.rfind(b"<")  # an element may straddle two blocks: keep it for the next round
            cut = cut if cut > len(text) - 512 else len(text)
            for match in _MERGE.finditer(text, 0, cut):
                first_col, first_row = _column(match[1]), int(match[2])
                last_col, last_row = _column(match[3]), int(match[4])
                if 0 < last_col - first_col + 1 <= MAX_COLUMNS and 0 < last_row - first_row + 1 <= MAX_ROWS:
                    ranges.append((first_col, first_row, last_col, last_row))
            tail = text[cut:]
    return ranges[:MAX_RANGES]


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class MergeFiller:
    """Fills one sheet's rows (lists of cell texts, index 0 = column A) from its merged ranges."""

    def __init__(self, ranges: list[Range]) -> None:
        self._starting: dict[int, list[Range]] = defaultdict(list)
        for merge in ranges:
            if merge != (merge[0], merge[1], merge[0], merge[1]):  # a one-cell "range" is no merge
                self._starting[merge[1]].append(merge)
        self._down: list[tuple[int, int, str]] = []  # (column index, last row, value)

    def __bool__(self) -> bool:
        return bool(self._starting)

    def fill(self, number: int, cells: list[str], *, header: bool) -> list[str]:
        """The row's cells with merged values filled in (``cells`` may be extended)."""
        self._down = [d for d in self._down if d[1] >= number]
        for column, _, value in self._down:
            _put(cells, column, value)
        for first_col, _, last_col, last_row in self._starting.get(number, ()):
            value = cells[first_col - 1] if first_col <= len(cells) else ""
            if not value:
                continue
            if header:
                for column in range(first_col, last_col):
                    _put(cells, column, value)
            elif last_row > number:
                self._down.append((first_col - 1, last_row, value))
        return cells


def _put(cells: list[str], index: int, value: str) -> None:
    if index >= len(cells):
        cells.extend([""] * (index + 1 - len(cells)))
    if not cells[index]:
        cells[index] = value
