"""Words of a PDF page with their boxes, grouped into visual rows, cells and columns.

A word is a token of the page's text (pypdfium2 ``get_text_range``) between whitespace (and
pdfium's "\\ufffe" hyphen marks), its box from its first character's left to its last character's
right (pdfium's loose boxes: the font's ascent to descent, so the glyphs of a line share a top and
a bottom). Text offsets are pdfium's char indices when the text is as long as the page's char count
(checked on the corpus: on every such page, text index i is char index i, the hyphen mark's slot
included; tests/integration/test_pdf_layout_tables.py); otherwise (pdfium left chars out of the
text) each word's two ends are mapped by ``FPDFText_GetCharIndexFromTextIndex``. Two boxes are read
a word through plain-pointer bindings called in ``map`` (see ``pdf_tables._rebind``), each into
its slot of one float array. A line of more than ``_PROSE_WORDS`` words, few of them values or
capitalised, is prose: read as one word (its first and last characters' boxes), it still ends a
table but costs two calls. A token far wider than its characters (pdfium ran two cells' text
together: "00" for two zeros a column apart) is cut at the gaps between its characters' boxes.

A cell "$" is joined to the value after it and a cell "%" to the value before ("$81,797",
"12.5%"); a cell is a value when each of its words is a number, a parenthesised number or a dash
("—"). Columns: value cells' right edges clustered (numbers are right-aligned; a ")" or "%" hangs
a little past them), clusters whose cores (median left to right) overlap merged (a line of
percentages set off from the dollar lines above it).

Coordinates are top-down, as in pdfplumber: ``x0, top, x1, bottom``."""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterable, Sequence
from itertools import repeat
from statistics import median
from typing import NamedTuple

import attrs
import pypdfium2
import pypdfium2.raw as pdfium_c

from adapters.extractors.pdf_tables import _rebind

_TOKEN = re.compile(r"[^\s\ufffe]+")
_LINE = re.compile(r"[^\r\n]*[^\s\ufffe][^\r\n]*")
_VALUE_START = frozenset("0123456789($€£¥%—–-−")
_VALUE = re.compile(r"[($€£¥]*[-−]?[$€£¥]?\(?\d[\d,]*(?:\.\d+)?\)?%?\)?|\$?\(?[—–-]{1,2}\)?")
_JOIN_AFTER = re.compile(r"(?<=[$€£¥(])\s+(?=[\d(—–-])")
_JOIN_BEFORE = re.compile(r"(?<=[\d)—–])\s+(?=[%)])")
_JOINS = re.compile(r"[$€£¥(]\s|\s[%)]")
_CURRENCY = frozenset({"$", "€", "£", "¥", "($"})
_PERCENT = frozenset({"%", ")%", "%)", ")"})
_LOOSE_BOX = _rebind(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
_CHAR_INDEX = _rebind(pdfium_c.FPDFText_GetCharIndexFromTextIndex, ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
_ROW_OVERLAP = 0.5  # a word joins a row when it overlaps the row's band by half its own height
_CELL_GAP = 0.5  # of the line height: a wider gap between two words of a row starts a new cell
_MIN_CELL_GAP = 3.0  # points
_SPREAD = 1.0  # line heights a character: a token wider than that is cut at its gaps
_MAX_VALUE_WORDS = 4
_PROSE_WORDS = 16  # a longer line is prose (one box) unless this part of its words are values
_ROW_VALUES = 0.3  # ... or it ends in two values
_ROW_CAPITALS = 0.6  # ... or this part are capitalised (a header row: "State / Territory Permit Handgun ...")
ALIGN = 3.5  # points: right edges this close are one column
_COVER = 0.3  # a header cell covers a column it overlaps by this part of the narrower of the two
_RULE_HEIGHT = 2.5  # points
_RULE_JOIN = 1.5  # points: pieces of a rule this close are one rule

Rule = tuple[float, float, float]  # a horizontal rule: y, x0, x1


class Word(NamedTuple):
    """``start``/``end``: the word's offsets in the page's text."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    start: int
    end: int


class Cell(NamedTuple):
    """Words of a row close together; ``text`` with "$ 1.27" as "$1.27" and "35.4 %" as "35.4%"."""

    words: tuple[Word, ...]
    text: str
    x0: float
    x1: float
    size: int  # words (a line of prose read as one box is one Word of many words)
    value: bool  # a number, a parenthesised number or a dash; a few at most


class Row(NamedTuple):
    cells: tuple[Cell, ...]
    top: float
    bottom: float

    @property
    def words(self) -> list[Word]:
        return [w for c in self.cells for w in c.words]


def cell_of(words: Sequence[Word]) -> Cell:
    """The cell of these words (of one row, left to right)."""
    first = words[0]
    if len(words) == 1:
        text = first.text
        if " " in text:  # a line of prose
            return Cell((first,), text, first.x0, first.x1, text.count(" ") + 1, False)
        value = text[0] in _VALUE_START and _VALUE.fullmatch(text) is not None
        return Cell((first,), text, first.x0, first.x1, 1, value)
    text = " ".join(w.text for w in words)
    if _JOINS.search(text):
        text = _JOIN_BEFORE.sub("", _JOIN_AFTER.sub("", text))
    parts = text.split()
    value = len(parts) <= _MAX_VALUE_WORDS and all(p[0] in _VALUE_START and _VALUE.fullmatch(p) for p in parts)
    return Cell(tuple(words), text, first.x0, words[-1].x1, len(parts), value)


def page_words(textpage: pypdfium2.PdfTextPage, text: str, height: float) -> list[Word]:
    """The page's words (``text``: the page's whole text as pdfium gave it)."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        parts = line.group().split()
        if len(parts) > _PROSE_WORDS and not _tabular(parts):
            start, end = line.span()
            spans.append((start + len(line.group()) - len(line.group().lstrip()), end))  # one box for the line
        else:
            spans += [m.span() for m in _TOKEN.finditer(text, *line.span())]
    if not spans:
        return []
    raw = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    firsts, lasts = starts, [e - 1 for e in ends]
    same = pdfium_c.FPDFText_CountChars(textpage.raw) == len(text)
    if not same:
        firsts = list(map(_CHAR_INDEX, repeat(raw), firsts))
        lasts = list(map(_CHAR_INDEX, repeat(raw), lasts))
    n = len(spans)
    boxes = (ctypes.c_float * (8 * n))()  # per word: the first char's rect, then the last char's
    base = ctypes.addressof(boxes)
    ok_first = list(map(_LOOSE_BOX, repeat(raw), firsts, range(base, base + 32 * n, 32)))
    ok_last = list(map(_LOOSE_BOX, repeat(raw), lasts, range(base + 16, base + 32 * n, 32)))
    v = boxes[:]  # left, top, right, bottom (PDF space: top > bottom), twice a word
    words = [Word(text[s:e], x0, height - (t0 if t0 > t1 else t1), x1, height - (b0 if b0 < b1 else b1), s, e)
             for s, e, x0, t0, b0, t1, x1, b1, ok0, ok1
             in zip(starts, ends, v[0::8], v[1::8], v[3::8], v[5::8], v[6::8], v[7::8], ok_first, ok_last)
             if ok0 and ok1 and x1 >= x0]
    if same:
        wide = [k for k, w in enumerate(words)
                if w.x1 - w.x0 > _SPREAD * (w.end - w.start) * (w.bottom - w.top) and " " not in w.text]
        for k in reversed(wide):
            words[k:k + 1] = _split(raw, words[k])
    return words


def _tabular(parts: list[str]) -> bool:
    """A long line that may still be a table's row: ending in two values, or values or capitalised
    words for the most part."""
    values = sum(p[0] in _VALUE_START for p in parts)
    if values >= _ROW_VALUES * len(parts) or parts[-1][0] in _VALUE_START and parts[-2][0] in _VALUE_START:
        return True
    return sum(p[0].isupper() for p in parts) >= _ROW_CAPITALS * len(parts)


def _split(raw: int, word: Word) -> list[Word]:
    """A token far wider than its characters: pdfium ran the text of two cells together ("00" for
    "0" and "0" a column apart). Cut at the gaps between its characters' boxes that start a cell."""
    n = word.end - word.start
    boxes = (ctypes.c_float * (4 * n))()
    base = ctypes.addressof(boxes)
    found = list(map(_LOOSE_BOX, repeat(raw), range(word.start, word.end), range(base, base + 16 * n, 16)))
    if not all(found):
        return [word]
    v = boxes[:]
    gap = max(_MIN_CELL_GAP, _CELL_GAP * (word.bottom - word.top))
    pieces, first = [], 0
    for j in range(1, n + 1):
        if j == n or v[4 * j] - v[4 * j - 2] > gap:
            pieces.append(Word(word.text[first:j], v[4 * first], word.top, v[4 * j - 2], word.bottom,
                               word.start + first, word.start + j))
            first = j
    return pieces


def rows_of(words: Sequence[Word]) -> list[Row]:
    """Visual rows, top to bottom: words by vertical overlap (a word joins the row whose band, the
    first word's top to bottom, it overlaps by half its own height), each row cut into cells at
    the gaps wider than half the line height."""
    bands: list[tuple[float, float, list[Word]]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom, w.x0)):
        up, down = word.top, word.bottom
        need = _ROW_OVERLAP * (down - up)
        for top, bottom, members in reversed(bands[-3:]):  # rows near the word's height
            if (bottom if bottom < down else down) - (top if top > up else up) >= need:
                members.append(word)
                break
        else:
            bands.append((up, down, [word]))
    rows = [_row(members) for _, _, members in bands]
    return sorted(rows, key=lambda r: r.top)


def _row(words: list[Word]) -> Row:
    """The row's cells, each "$" cell joined to the value after it and each "%" to the value before."""
    words.sort(key=lambda w: w.x0)
    gap = max(_MIN_CELL_GAP, _CELL_GAP * max(w.bottom - w.top for w in words))
    cells: list[Cell] = []
    run = [words[0]]
    for word in words[1:]:
        if word.x0 - run[-1].x1 > gap:
            _add(cells, cell_of(run))
            run = []
        run.append(word)
    _add(cells, cell_of(run))
    return Row(tuple(cells), min(w.top for w in words), max(w.bottom for w in words))


def _add(cells: list[Cell], cell: Cell) -> None:
    last = cells[-1] if cells else None
    if last is not None and (cell.text in _PERCENT and last.value or last.text in _CURRENCY and cell.value):
        cells[-1] = cell_of(last.words + cell.words)
    else:
        cells.append(cell)


@attrs.frozen
class Column:
    left: float  # the leftmost start of its cells ("$" included)
    right: float

    def overlap(self, x0: float, x1: float) -> float:
        return min(x1, self.right) - max(x0, self.left)


def columns_of(cells: list[Cell]) -> list[Column]:
    """Right edges clustered (within ``ALIGN``), clusters whose cores overlap merged; the left edge
    from the cells that meet no other column's core (a token pdfium ran across two columns)."""
    clusters: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: c.x1):
        if clusters and cell.x1 - clusters[-1][-1].x1 <= ALIGN:
            clusters[-1].append(cell)
        else:
            clusters.append([cell])
    merged: list[list[Cell]] = []
    for cluster in sorted(clusters, key=lambda c: median(x.x0 for x in c)):
        if merged and median(x.x0 for x in cluster) < max(x.x1 for x in merged[-1]):
            merged[-1] += cluster
        else:
            merged.append(cluster)
    cores = [(median(x.x0 for x in c), max(x.x1 for x in c)) for c in merged]
    columns = []
    for k, cluster in enumerate(merged):
        own = [c for c in cluster if not any(j != k and c.x0 < r and c.x1 > l for j, (l, r) in enumerate(cores))]
        columns.append(Column(min(c.x0 for c in own or cluster), cores[k][1]))
    return columns


def column_of(cell: Cell, columns: list[Column]) -> int:
    """The column the cell overlaps most, else the nearest."""
    x0, x1 = cell.x0, cell.x1
    best, most = -1, 0.0
    for k, col in enumerate(columns):
        overlap = (x1 if x1 < col.right else col.right) - (x0 if x0 > col.left else col.left)
        if overlap > most:
            best, most = k, overlap
    if best >= 0:
        return best
    middle = (cell.x0 + cell.x1) / 2
    return min(range(len(columns)), key=lambda k: abs((columns[k].left + columns[k].right) / 2 - middle))


def covered(x0: float, x1: float, columns: list[Column]) -> list[int]:
    """The columns that ``x0..x1`` overlaps by ``_COVER`` of the narrower of the two."""
    return [k for k, col in enumerate(columns)
            if col.overlap(x0, x1) > 0 and col.overlap(x0, x1) >= _COVER * min(x1 - x0, col.right - col.left)]


def rules_of(boxes: Iterable[tuple[float, float, float, float]]) -> list[Rule]:
    """Horizontal rules: boxes under ``_RULE_HEIGHT`` points high, the pieces of one line (tops within
    a point) that touch or nearly (``_RULE_JOIN``) joined into one."""
    thin = sorted((b[1], b[0], b[2]) for b in boxes if b[3] - b[1] < _RULE_HEIGHT and b[2] - b[0] > 0)
    rules: list[Rule] = []
    line: list[tuple[float, float, float]] = []
    for piece in thin + [(float("inf"), 0.0, 0.0)]:
        if line and piece[0] - line[0][0] > 1.0:
            line.sort(key=lambda p: p[1])
            y, x0, x1 = line[0]
            for _, start, end in line[1:]:
                if start > x1 + _RULE_JOIN:
                    rules.append((y, x0, x1))
                    x0 = start
                x1 = max(x1, end)
            rules.append((y, x0, x1))
            line = []
        line.append(piece)
    return rules
