"""Tables in PDF pages, found on what pdfium already parsed.

pdfplumber parses a page (pdfminer, pure Python) ~90 times slower than pdfium extracts its
text, and its table finder spends most of its time pairing edges and sorting characters into
cells. So: path objects' bounding boxes are read through pdfium's raw API, cells are found by
``adapters.extractors.pdf_grid`` (pdfplumber's "lines" strategy with the same defaults, done with
indexes), and each cell's text comes from pdfium's own ``FPDFText_GetBoundedText``. A row whose
cells all hold the same number (2+) of lines is a band of rows drawn as one (ruled columns,
rows told apart only by their text, e.g. the NICS report) and is split into those rows. Only
pages with at least ``MIN_RULES`` ruling objects AND ``MIN_NUMERIC_LINES`` lines holding two or
more numbers, and not a drawing made of thousands of small marks, are examined. Rotated pages
(pdfium reports their objects in unrotated space) go to pdfplumber itself: ``plumber_tables``."""

from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Sequence
from itertools import compress, repeat

import pypdfium2
import pypdfium2.raw as pdfium_c

from adapters.extractors.markdown import markdown_table
from adapters.extractors.pdf_grid import Box, find_tables

MIN_RULES = 3
MIN_NUMERIC_LINES = 3
_DRAWING_BOXES = 1000
_MIN_BAND_CELLS = 3  # a band split needs this many non-empty cells with the same line count
_SPACER_WIDTH = 12.0  # points: a column this narrow is asked once whether it holds any text at all
_INSET = 1.5  # points: a glyph straddling a cell border goes to the cell holding its centre
_NUMBER = r"(?<!\S)[($€£-]*\d[\d,.]*%?\)?(?!\S)"  # a whitespace-delimited number: 1,250 (44) 15.7% $5
_NUMERIC_LINE = re.compile(rf"^[^\n]*?{_NUMBER}[^\n]*?{_NUMBER}", re.MULTILINE)


def looks_tabular(text: str) -> bool:
    """At least MIN_NUMERIC_LINES lines with two numbers or more (checked before any geometry)."""
    numeric = 0
    for _ in _NUMERIC_LINE.finditer(text):
        numeric += 1
        if numeric >= MIN_NUMERIC_LINES:
            return True
    return False


def has_rules(boxes: Sequence[Box], width: float, height: float) -> bool:
    """At least MIN_RULES long thin lines or wide boxes, the least a ruled table is drawn with;
    false for a drawing made of marks (over ``_DRAWING_BOXES`` boxes, 90% of them under 10 x 10
    points: plots, halftones; on the corpus's table pages at most 48% are that small)."""
    if len(boxes) > _DRAWING_BOXES and sum(b[2] - b[0] < 10 and b[3] - b[1] < 10 for b in boxes) >= 0.9 * len(boxes):
        return False
    count = 0
    for left, top, right, bottom in boxes:
        w, h = right - left, bottom - top
        if (h < 3 and w > 0.1 * width) or (w < 3 and h > 0.03 * height) or (w > 0.1 * width and h > 5):
            count += 1
            if count >= MIN_RULES:
                return True
    return False


def _rebind(function: object, restype: object, *argtypes: object) -> object:
    """The same PDFium function with plain pointer types: pypdfium2's bindings build a typed
    pointer object for every handle returned, 3x the cost of the call on object-heavy pages."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_GET_OBJECT = _rebind(pdfium_c.FPDFPage_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_GET_TYPE = _rebind(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, ctypes.c_void_p)
_GET_BOUNDS = _rebind(pdfium_c.FPDFPageObj_GetBounds, ctypes.c_int, *[ctypes.c_void_p] * 5)  # floats by address
_GET_BOUNDED_TEXT = _rebind(pdfium_c.FPDFText_GetBoundedText, ctypes.c_int, ctypes.c_void_p, *[ctypes.c_double] * 4,
                            ctypes.c_void_p, ctypes.c_int)
_IS_PATH = pdfium_c.FPDF_PAGEOBJ_PATH.__eq__


def path_boxes(page: pypdfium2.PdfPage, height: float) -> list[Box]:
    """Top-down bounding boxes ``(x0, top, x1, bottom)`` of the page's top-level path objects.
    Filings hold thousands of text objects per page, so every call runs in ``map``: the handles,
    their types, then the paths' bounds, each written into its own slot of one float array."""
    raw = ctypes.cast(page.raw, ctypes.c_void_p).value
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    objects = list(map(_GET_OBJECT, repeat(raw, count), range(count)))
    paths = list(compress(objects, map(_IS_PATH, map(_GET_TYPE, objects))))
    if not paths:
        return []
    bounds = (ctypes.c_float * (4 * len(paths)))()
    base, step, end = ctypes.addressof(bounds), 16, ctypes.addressof(bounds) + 16 * len(paths)
    found = list(map(_GET_BOUNDS, paths, range(base, end, step), range(base + 4, end, step),
                     range(base + 8, end, step), range(base + 12, end, step)))
    values = bounds[:]
    return [(values[i], height - values[i + 3], values[i + 2], height - values[i + 1])
            for i, ok in zip(range(0, 4 * len(paths), 4), found) if ok]


def page_tables(textpage: pypdfium2.PdfTextPage, boxes: Sequence[Box], height: float) -> list[str]:
    """Markdown tables (two rows or more, some text) found on the page."""
    found = find_tables(boxes)
    if not found:
        return []
    cell_text = _CellReader(textpage, height)
    tables = []
    for rows in found:
        texts = _cell_texts(rows, cell_text)
        rendered = markdown_table([line for row in texts for line in _split_band(row)])
        if rendered.count("\n") >= 2 and any(c.isalnum() for c in rendered):
            tables.append(rendered)
    return tables


def _cell_texts(rows: list[list[Box | None]], cell_text: _CellReader) -> list[list[str | None]]:
    """Each cell's text, one pdfium call per cell, except in a narrow column (a cell at most
    ``_SPACER_WIDTH`` wide) of two cells or more whose whole strip holds no text: its cells are
    empty without asking (filings' spacer columns: on the corpus, 2,903 cells skipped for 855
    strip calls; wide columns are almost never empty, so their strips are not asked). Exact:
    pdfium takes the characters whose box meets the rectangle, so a cell only holds characters
    its column's strip holds, and a strip that reads empty (after the same clean-up) means every
    cell in it reads empty too."""
    empty = set()
    for k in range(len(rows[0]) if rows else 0):
        column = [row[k] for row in rows if row[k] is not None]
        if (len(column) >= 2 and min(c[2] - c[0] for c in column) <= _SPACER_WIDTH
                and not cell_text((min(c[0] for c in column), min(c[1] for c in column),
                                   max(c[2] for c in column), max(c[3] for c in column)))):
            empty.add(k)
    return [[cell_text(cell) if cell is None or k not in empty else "" for k, cell in enumerate(row)]
            for row in rows]


class _CellReader:
    """A cell's text by one FPDFText_GetBoundedText call into a buffer sized for the whole page
    (pypdfium2's wrapper calls twice: once for the size), through a plain-pointer binding. The
    box is inset by ``_INSET`` points."""

    def __init__(self, textpage: pypdfium2.PdfTextPage, height: float) -> None:
        self._raw, self._height = ctypes.cast(textpage.raw, ctypes.c_void_p).value, height
        self._size = 2 * pdfium_c.FPDFText_CountChars(textpage.raw) + 64  # room for added line breaks
        self._buffer = (ctypes.c_ushort * self._size)()
        self._address = ctypes.addressof(self._buffer)

    def __call__(self, cell: Box | None) -> str | None:
        if cell is None:
            return None
        x0, top, x1, bottom = cell
        height, inset = self._height, _INSET
        count = _GET_BOUNDED_TEXT(self._raw, x0 + inset, height - top - inset, x1 - inset, height - bottom + inset,
                                  self._address, self._size)
        if count <= 0:
            return ""
        text = ctypes.string_at(self._address, 2 * count).decode("utf-16-le", "ignore").rstrip("\0")  # NUL counted
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "").strip()


def _split_band(row: list[str | None]) -> list[list[str | None]]:
    """One row, or the rows of a band (every non-empty cell has the same number of lines, 2+)."""
    lines = [cell.split("\n") if cell else None for cell in row]
    counts = {len(cell) for cell in lines if cell is not None}
    if len(counts) != 1 or counts == {1} or sum(cell is not None for cell in lines) < _MIN_BAND_CELLS:
        return [row]
    return [[cell[i] if cell is not None else None for cell in lines] for i in range(counts.pop())]


def plumber_tables(data: bytes, page_indexes: Sequence[int]) -> dict[int, list[str]]:
    """The slow path, pdfplumber parsing the pages itself (used for rotated pages)."""
    found: dict[int, list[str]] = {}
    if not page_indexes:
        return found
    import pdfplumber  # about 60 ms: loaded with the first rotated table page, not at start-up

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index in page_indexes:
                page = pdf.pages[index]
                try:
                    tables = [markdown_table(rows) for rows in page.extract_tables()]
                except MemoryError:
                    raise
                except Exception:  # pdfminer on a damaged content stream (`make fuzz`): the text stays, untabled
                    tables = []
                found[index] = [t for t in tables if t.count("\n") >= 2 and any(c.isalnum() for c in t)]
                page.close()
    except MemoryError:
        raise
    except Exception:  # pdfminer cannot parse a file pdfium read: its pages keep their text
        return found
    return found
