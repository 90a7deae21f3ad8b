"""Tables in PDF pages: pdfplumber's table finder fed with what pdfium already parsed.

pdfplumber parses a page (pdfminer, pure Python) ~90 times slower than pdfium extracts its
text. Its table finder ("lines" strategy: ruling edges -> intersections -> cells) and cell text
assembly only need edges and character boxes, so ``PdfiumPageView`` gives them those from
pdfium: path objects' bounding boxes as rectangle edges, and loose character boxes (one height
per line, so punctuation stays on its line) without pdfium's generated spaces and line breaks.
Only pages with at least ``MIN_RULES`` ruling objects AND ``MIN_NUMERIC_LINES`` lines holding
two or more numbers are examined. Rotated pages (pdfium reports their characters in unrotated
space) go to pdfplumber itself: ``plumber_tables``."""

from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Iterator, Sequence
from functools import cached_property

import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium_c
from pdfplumber import utils as plumber_utils
from pdfplumber.table import TableFinder

from adapters.extractors.markdown import markdown_table

MIN_RULES = 3
MIN_NUMERIC_LINES = 3
_NUMBER = re.compile(r"^[($€£-]*\d[\d,.]*%?\)?$")
_SKIP = {0, 10, 13, 0xFFFE}


def may_hold_table(page: pypdfium2.PdfPage, text: str) -> bool:
    numeric = sum(1 for line in text.splitlines() if sum(1 for t in line.split() if _NUMBER.match(t)) >= 2)
    return numeric >= MIN_NUMERIC_LINES and _rules(page) >= MIN_RULES


def _rules(page: pypdfium2.PdfPage) -> int:
    width, height = page.get_size()
    count = 0
    for left, bottom, right, top in _path_boxes(page):
        w, h = right - left, top - bottom
        if (h < 3 and w > 0.1 * width) or (w < 3 and h > 0.03 * height) or (w > 0.1 * width and h > 5):
            count += 1
            if count >= MIN_RULES:
                break
    return count


def _path_boxes(page: pypdfium2.PdfPage) -> Iterator[tuple[float, float, float, float]]:
    """Bounding boxes of the page's top-level path objects, through the raw API (pypdfium2's
    object wrappers cost more than the rest of the table pass on drawing-heavy pages)."""
    raw = page.raw
    box = [ctypes.c_float() for _ in range(4)]
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH and pdfium_c.FPDFPageObj_GetBounds(
                obj, *(ctypes.byref(v) for v in box)):
            yield box[0].value, box[1].value, box[2].value, box[3].value


class PdfiumPageView:
    """Just enough of a pdfplumber Page (bbox, edges, chars) for TableFinder and Table.extract."""

    def __init__(self, page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage) -> None:
        width, height = page.get_size()
        self.bbox, self.width, self.height = (0, 0, width, height), width, height
        self.edges: list[dict] = []
        for left, bottom, right, top in _path_boxes(page):
            self.edges += plumber_utils.rect_to_edges(
                {"x0": left, "x1": right, "top": height - top, "bottom": height - bottom, "doctop": height - top,
                 "y0": bottom, "y1": top, "width": right - left, "height": top - bottom, "object_type": "rect"})
        self._textpage = textpage

    @cached_property
    def chars(self) -> list[dict]:
        """Read only when a table was found (most candidate pages have none)."""
        textpage, height = self._textpage, self.height
        chars: list[dict] = []
        for i in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage, i)
            if code in _SKIP or pdfium_c.FPDFText_IsGenerated(textpage, i) == 1:
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            chars.append({"text": chr(code), "x0": left, "x1": right, "top": height - top,
                          "bottom": height - bottom, "doctop": height - top, "upright": True,
                          "size": top - bottom, "width": right - left, "height": top - bottom,
                          "object_type": "char"})
        return chars


def page_tables(page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage) -> list[str]:
    """Markdown tables (two rows or more, some text) found on the page."""
    tables = []
    for table in TableFinder(PdfiumPageView(page, textpage)).tables:
        rendered = markdown_table(table.extract())
        if rendered.count("\n") >= 2 and any(c.isalnum() for c in rendered):
            tables.append(rendered)
    return tables


def plumber_tables(data: bytes, page_indexes: Sequence[int]) -> dict[int, list[str]]:
    """The slow path, pdfplumber parsing the pages itself (used for rotated pages)."""
    found: dict[int, list[str]] = {}
    if not page_indexes:
        return found
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for index in page_indexes:
            page = pdf.pages[index]
            tables = [markdown_table(rows) for rows in page.extract_tables()]
            found[index] = [t for t in tables if t.count("\n") >= 2 and any(c.isalnum() for c in t)]
            page.close()
    return found
