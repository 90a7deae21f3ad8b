"""Tables of a PDF page read from the geometry of its words, ruled or not (financial statements),
and the page's text with each table put where it stands.

Rows, cells and columns come from ``pdf_words``. A table is a run of *value rows* (a label, then
values) with *section rows* (a label only, left of the values: "Operating expenses:") between
them; a label-only row whose next value row's label goes on in lower case is a wrapped label.
Section rows just above the first value row belong to the table. Not tables: a column of page
numbers (a table of contents), words beside numbers (a ballot laid out in columns), values
scattered one a row (a bar chart's labels and axis). Only pages with lines ending in values
(``may_hold_table``) are read at all.

Header rows are the rows just above, stacked tight, whose cells lie right of the labels (at most
one per column; a stub cell over the labels allowed), read bottom-up and composed top-down: a cell
covers the columns of the cells it stands over in the nearest header row below, and the columns
it overlaps itself, so "Three Months Ended" (over "July 1," and "June 25,"), "July 1," and "2023"
give "Three Months Ended July 1, 2023". A cell reaches as far as the rule drawn under it (the
underline of a spanning header) when that rule runs under no other cell of its row. A unit line
("(In millions, except per share amounts)") just above the body or the header, or a unit in
parentheses ending the sentence above, heads the label column (so every block repeats it), or is
the caption when the label column has a header of its own. Titles (one cell starting left of the
columns, or set larger than the body) and "(Unaudited)" end the header."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from statistics import median
from typing import TypeVar

import attrs
import pypdfium2

from adapters.extractors.markdown import markdown_table
from adapters.extractors.pdf_grid import Box, find_tables
from adapters.extractors.pdf_tables import _CellReader, _cell_texts, _split_band
from adapters.extractors.pdf_words import (ALIGN, Cell, Column, Row, Rule, Word, column_of, columns_of, covered,
                                           rows_of)
from domain.tables import Table

_YEAR = re.compile(r"(?:19|20)\d\d")
_PAGE = re.compile(r"\d{1,3}")
_UNIT = re.compile(r"\(?(?:\$\s*)?(?:in|dollars|amounts|shares)\s+(?:\w+\s+){0,2}?(?:millions|thousands|billions)\b",
                   re.I)
_UNIT_AFTER = re.compile(r"(\((?:[$] )?(?:dollars |amounts |shares )?in (?:millions|thousands|billions)\b[^)]*\)):?$",
                         re.I)
_NUMBER = r"[($€£¥-]*\d(?:[\d,.]*\d)?\)?%?\)?"  # as a table prints it: no trailing "," or "."
_ENDS_IN_TWO = re.compile(
    rf"(?:^|[ \t]){_NUMBER}(?:[ \t]+[%)$]+)?[ \t]+\$?[ \t]*(?:{_NUMBER}|[—–-]+)(?:[ \t]+[%)]+)?[ \t]*$", re.M)
_ENDS_IN_AMOUNT = re.compile(r"(?:\$[ \t]*\d|\d,\d{3}|\(\d[\d,.]*\))[\d,.]*\)?%?[ \t]*$", re.M)
_ROW_GAP = 3.0  # line heights: a wider vertical gap ends a table
_HEADER_GAP = 0.6  # line heights: header lines are stacked closer than this
_TITLE_SIZE = 1.5  # a line this many times as high as the body's is a title
_COVER = 0.3  # a cell stands over another it overlaps by this part of the narrower of the two
_MAX_CELL_WORDS = 4  # in a value row, right of the label
_MAX_HEADER_WORDS = 8
_MAX_LABEL_WORDS = 12
_MAX_TEXT_SHARE = 3  # at most one cell in this many right of the labels holds words
_MIN_FILL = 0.6  # of the value rows' cells hold something
_MIN_VALUE_ROWS = 2
_MARK = "\uffff"  # where words were taken out of the text

T = TypeVar("T")
Span = tuple[int, int]


@attrs.frozen
class PageTable:
    """A table found on a page; ``spans``: the text offsets of every word it took; ``box``: where."""

    table: Table
    spans: tuple[Span, ...]
    box: Box


@attrs.frozen
class _Frame:
    columns: list[Column]
    values_left: float
    labels_right: float
    line: float  # the body's line height

    def stub(self, cell: Cell) -> bool:
        """A header cell over the label column."""
        return cell.x1 < self.values_left and cell.x0 <= self.labels_right


def may_hold_table(text: str) -> bool:
    """Two lines ending in two values, or three ending in an amount ("$ 1,250", "2,250", "(44)"):
    the pages worth reading the words' boxes of (a third of the corpus's pages with numbers are not).
    ``text``: with "\\n" line ends."""
    ends = 0
    for _ in _ENDS_IN_TWO.finditer(text):
        ends += 1
        if ends >= 2:
            return True
    return sum(1 for _ in _ENDS_IN_AMOUNT.finditer(text)) >= 3


def layout_tables(words: Sequence[Word], rules: Sequence[Rule] = ()) -> list[PageTable]:
    """The tables among the page's words; ``rules``: its horizontal rules (``pdf_words.rules_of``)."""
    rows = rows_of(words)
    found, floor = [], 0
    for start, end in _runs(rows):
        table = _read(rows, start, end, floor, rules)
        if table is not None:
            found.append(table)
            floor = end
    return found


def _value_row(row: Row) -> bool:
    """A label (or a value) then short cells, values among them; not a row of years (a header)."""
    cells = row.cells
    if len(cells) < 2 or any(c.size > _MAX_CELL_WORDS for c in cells[1:]) or not any(c.value for c in cells[1:]):
        return False
    return not (cells[0].value and all(_YEAR.fullmatch(p) for c in cells if c.value for p in c.text.split()))


def _gap_ok(upper: Row, lower: Row, lines: float = _ROW_GAP) -> bool:
    return lower.top - upper.bottom <= lines * (upper.bottom - upper.top)


def _runs(rows: list[Row]) -> list[tuple[int, int]]:
    """Index ranges [start, end) of value rows with label-only rows (left of the values) between them."""
    runs, start, last, values_left = [], None, 0, 0.0
    for i, row in enumerate(rows):
        if _value_row(row):
            if start is not None and not _gap_ok(rows[i - 1], row):
                runs.append((start, last + 1))
                start = None
            start = i if start is None else start
            last, values_left = i, min(c.x0 for c in row.cells[1:])
        elif start is not None and (len(row.cells) != 1 or row.cells[0].x1 >= values_left
                                    or not _gap_ok(rows[i - 1], row)):
            runs.append((start, last + 1))
            start = None
    if start is not None:
        runs.append((start, last + 1))
    return [(s, e) for s, e in runs if sum(map(_value_row, rows[s:e])) >= _MIN_VALUE_ROWS]


def _read(rows: list[Row], start: int, end: int, floor: int, rules: Sequence[Rule]) -> PageTable | None:
    body = [r for r in rows[start:end] if _value_row(r)]
    cells = [c for r in body for c in r.cells[1:]]
    columns = columns_of(cells)
    where = [[column_of(c, columns) for c in r.cells[1:]] for r in body]
    numeric = {k for r, ks in zip(body, where) for c, k in zip(r.cells[1:], ks) if c.value}
    if (len(numeric) < len(columns) and len(numeric) < 2  # a column of words beside one of numbers: a list
            or len(columns) == 1 and all(_PAGE.fullmatch(c.text) for c in cells)  # a table of contents
            or sum(not c.value for c in cells) * _MAX_TEXT_SHARE > len(cells)
            or sum(len(set(ks)) for ks in where) < _MIN_FILL * len(columns) * len(body)):
        return None
    values_left = columns[0].left
    first = start
    while (first > floor and _section(rows[first - 1], values_left) and _unit(rows[first - 1])[0] is None
           and _gap_ok(rows[first - 1], rows[first])):
        first -= 1
    labels = [r.cells[0].x1 for r in rows[first:end] if r.cells[0].x1 < values_left]
    frame = _Frame(columns, values_left, max(labels, default=values_left), median(r.bottom - r.top for r in body))
    header, line, unit = _header(rows, first, floor, frame)
    stub, names, units = _names(header, frame, rules)
    unit = " ".join([*([unit] if unit else []), *units]) or None
    table = Table(header=(stub or unit or "", *names), rows=tuple(_body_rows(rows[first:end], frame)),
                  caption=unit if stub else None)
    taken = [w for row in [*([line] if line else []), *header, *rows[first:end]] for w in row.words]
    box = (min(w.x0 for w in taken), min(w.top for w in taken), max(w.x1 for w in taken), max(w.bottom for w in taken))
    return PageTable(table, tuple((w.start, w.end) for w in taken), box)


def _section(row: Row, values_left: float) -> bool:
    return len(row.cells) == 1 and row.cells[0].x1 < values_left and row.cells[0].size <= _MAX_LABEL_WORDS


def _header(rows: list[Row], first: int, floor: int, frame: _Frame) -> tuple[list[Row], Row | None, str | None]:
    """The header rows above row ``first`` (top-down), the unit line taken (if any) and the unit."""
    i, unit, line = first - 1, None, None
    if i >= floor and _gap_ok(rows[i], rows[i + 1]):
        unit, taken = _unit(rows[i])
        line, i = (rows[i], i - 1) if taken else (None, i)
    header: list[Row] = []
    left = frame.values_left
    while i >= floor and _header_row(rows[i], frame, left) and _gap_ok(rows[i], rows[i + 1], _HEADER_GAP if header
                                                                        else _ROW_GAP):
        header.insert(0, rows[i])
        left = min(left, *(c.x0 for c in rows[i].cells if not frame.stub(c)))
        i -= 1
    for k in range(i, max(floor, i - 2) - 1, -1):  # a unit line above the header, maybe past "(Unaudited)"
        if unit is not None or not _gap_ok(rows[k], rows[k + 1]) or len(rows[k].cells) != 1:
            break
        unit, taken = _unit(rows[k])
        line = rows[k] if taken else None
    return header, line, unit


def _unit(row: Row) -> tuple[str | None, bool]:
    """The unit a line gives, and whether the line is the table's: "(In millions, except per share
    amounts)" is; of "... were as follows (in millions):" only the parenthesis is taken."""
    text = row.cells[0].text
    if len(row.cells) <= 2 and _UNIT.match(text):
        return " ".join(c.text for c in row.cells), True
    found = _UNIT_AFTER.search(text) if len(row.cells) == 1 else None
    return (found.group(1), False) if found else (None, False)


def _header_row(row: Row, frame: _Frame, left: float) -> bool:
    """Cells right of the labels (at most one per column) of a few words each, after at most one
    stub cell; not a title (one cell starting left of the header cells below, or larger type) nor
    a parenthesis alone ("(Unaudited)")."""
    cells = [c for c in row.cells if not frame.stub(c)]
    text = row.cells[0].text
    if len(row.cells) == 1 and (row.cells[0].x0 < left - ALIGN or text.startswith("(") and text.endswith(")")):
        return False
    return (0 < len(cells) <= len(frame.columns) and len(row.cells) - len(cells) <= 1
            and row.bottom - row.top <= _TITLE_SIZE * frame.line
            and all(c.x0 > frame.labels_right and c.size <= _MAX_HEADER_WORDS for c in cells))


def _names(header: list[Row], frame: _Frame, rules: Sequence[Rule]) -> tuple[str, list[str], list[str]]:
    """The stub's text, each column's label and the units found over all columns."""
    names: list[list[str]] = [[] for _ in frame.columns]
    stub: list[str] = []
    units: list[str] = []
    lower: list[list[tuple[float, float, list[int]]]] = []  # the header rows below, nearest first
    for row in reversed(header):
        mapped = []
        for cell in row.cells:
            if frame.stub(cell):
                stub.insert(0, cell.text)
            elif _UNIT.match(cell.text) and sum(not frame.stub(c) for c in row.cells) == 1:
                units.insert(0, cell.text)  # a unit line over the columns, not one column's unit
            else:
                x0, x1 = _reach(cell, row, rules, frame.values_left)
                ks: set[int] = set()
                for cells in lower:
                    ks.update(k for u0, u1, under in cells if _over(x0, x1, u0, u1) for k in under)
                    if ks:
                        break
                ks.update(covered(x0, x1, frame.columns))
                mapped.append((x0, x1, sorted(ks) or [column_of(cell, frame.columns)]))
                for k in mapped[-1][2]:
                    names[k].insert(0, cell.text)
        lower.insert(0, mapped)
    return " ".join(stub), [" ".join(parts) for parts in names], units


def _over(x0: float, x1: float, u0: float, u1: float) -> bool:
    """``x0..x1`` stands over ``u0..u1``: they overlap by ``_COVER`` of the narrower of the two."""
    return min(x1, u1) - max(x0, u0) >= _COVER * min(x1 - x0, u1 - u0)


def _reach(cell: Cell, row: Row, rules: Sequence[Rule], values_left: float) -> tuple[float, float]:
    """The cell's extent, widened to the rule just under it that runs under no other cell of the row
    (nor under the labels: a grid's line)."""
    for y, x0, x1 in rules:
        if (row.bottom - ALIGN <= y <= row.bottom + _HEADER_GAP * (row.bottom - row.top) and x0 >= values_left - ALIGN
                and 2 * (min(x1, cell.x1) - max(x0, cell.x0)) >= cell.x1 - cell.x0
                and not any(o is not cell and x0 < o.x1 and x1 > o.x0 for o in row.cells)):
            return min(x0, cell.x0), max(x1, cell.x1)
    return cell.x0, cell.x1


def _body_rows(rows: list[Row], frame: _Frame) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    wrapped: Cell | None = None  # a label-only row: joined to the next value row's label going on in lower case
    for row in rows:
        cells = list(row.cells)
        first = cells.pop(0) if not cells[0].value or cells[0].x1 < frame.values_left else None
        label = first.text if first else ""
        if cells and wrapped is not None and label[:1].islower():
            label = f"{wrapped.text} {label}"
            out.pop()
        values: list[list[str]] = [[] for _ in frame.columns]
        for cell in cells:
            values[column_of(cell, frame.columns)].append(cell.text)
        out.append((label, *(" ".join(v) for v in values)))
        wrapped = first if first is not None and not cells and not label.endswith(":") else None
    return out


def ruled_tables(textpage: pypdfium2.PdfTextPage, boxes: Sequence[Box], height: float,
                 skip: Callable[[Box], bool]) -> list[tuple[Box, str]]:
    """``pdf_tables.page_tables`` with each table's box, the cells of a table ``skip`` rejects unread."""
    found = []
    reader = None
    for rows in find_tables(boxes):
        cells = [c for row in rows for c in row if c is not None]
        box = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
        if skip(box):
            continue
        reader = reader or _CellReader(textpage, height)
        rendered = markdown_table([line for row in _cell_texts(rows, reader) for line in _split_band(row)])
        if rendered.count("\n") >= 2 and any(c.isalnum() for c in rendered):
            found.append((box, rendered))
    return found


def splice(text: str, tables: Sequence[tuple[Sequence[Span], T]]) -> list[str | T]:
    """The page's text with each table's words taken out and the table put where its first word
    stood: text pieces (lines left empty by the removal dropped) and tables, in order."""
    anchors: dict[int, list[T]] = {}
    for spans, item in tables:
        if spans:
            anchors.setdefault(min(s for s, _ in spans), []).append(item)
    out: list[str | T] = []
    buffer: list[str] = []
    pos = 0
    for start, end in sorted({span for spans, _ in tables for span in spans}):
        buffer.append(text[pos:start])
        if start in anchors:
            _flush(buffer, out)
            out += anchors[start]
        buffer.append(_MARK)
        pos = max(pos, end)
    buffer.append(text[pos:])
    _flush(buffer, out)
    return out


def _flush(buffer: list[str], out: list) -> None:
    piece = "".join(buffer).replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "")
    buffer.clear()
    if _MARK in piece:
        piece = "\n".join(line.replace(_MARK, "") for line in piece.split("\n")
                          if _MARK not in line or line.replace(_MARK, "").strip())
    if piece.strip():
        out.append(piece)
