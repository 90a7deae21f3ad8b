"""PDF pages for the citation viewer: the quote's words boxed from the page's characters, and the
page rendered to a PNG within the pixel caps of adapters.extractors.pdf_render.

Boxes: the quote is found in the page's text (domain.passages: tolerant of line wraps, hyphenation
and spacing); each character of the passage that is not a space gives its loose box (pdfium's: the
font's ascent to descent, so a line's boxes share a top and a bottom), and consecutive characters
on one line are merged into one line box. A line box is mapped to the displayed page (its /Rotate
and crop box applied) by FPDF_PageToDevice onto a virtual square of ``_DEVICE`` units, so the box is
already normalised to 0..1 of the displayed width and height.

Rendering: a page whose box is larger than a PDF page can be (MAX_SIDE_PT) or which holds an image
declared over ``max_image_pixels`` is refused before anything is drawn or decoded; otherwise it is
drawn ``width`` pixels wide, or narrower so that the bitmap holds at most ``max_pixels``."""

from __future__ import annotations

import ctypes
import io
import math
from collections.abc import Mapping

import pypdfium2
import pypdfium2.raw as pdfium_c

from adapters.extractors.pdf import open_pdf
from adapters.extractors.pdf_render import MAX_SIDE_PT, PixelCaps, largest_image
from domain.citation_views import Box, PageView, PagesView
from domain.errors import FileCorrupt, FileTooComplex, PageNotFound
from domain.passages import Span, find_quote

_DEVICE = 1 << 20
_SAME_LINE = 0.5  # of a character's height that must overlap the line's band


def pdf_pages(data: bytes, quotes: Mapping[int, str]) -> PagesView:
    """Each page of ``quotes`` (1-based) with its size and its quote's line boxes."""
    pdf = open_pdf(data)
    try:
        views = []
        for number, quote in quotes.items():
            page = _page(pdf, number)
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                    spans = find_quote(text, quote) if quote else []
                    boxes = line_boxes(page, textpage, text, spans)
                finally:
                    textpage.close()
                width, height = page.get_size()
                views.append(PageView(page=number, width=round(width, 2), height=round(height, 2),
                                      boxes=tuple(boxes), found=bool(boxes)))
            finally:
                page.close()
        return PagesView(page_count=len(pdf), pages=tuple(views))
    except pypdfium2.PdfiumError as error:
        raise FileCorrupt("The PDF is damaged: this page cannot be read.") from error
    finally:
        pdf.close()


def page_png(data: bytes, number: int, width: int, caps: PixelCaps) -> bytes:
    """Page ``number`` as a PNG ``width`` pixels wide at most (see the module doc)."""
    pdf = open_pdf(data)
    try:
        page = _page(pdf, number)
        try:
            return _render(page, number, width, caps)
        finally:
            page.close()
    except pypdfium2.PdfiumError as error:
        raise FileCorrupt("The PDF is damaged: this page cannot be drawn.") from error
    finally:
        pdf.close()


def render_scale(width_pt: float, height_pt: float, width_px: int, max_pixels: int) -> float:
    """Pixels per point for a bitmap ``width_px`` wide, lowered until it holds at most ``max_pixels``."""
    scale = min(width_px / width_pt, math.sqrt(max_pixels / (width_pt * height_pt)))
    while math.ceil(width_pt * scale) * math.ceil(height_pt * scale) > max_pixels:  # pdfium rounds sides up
        scale *= 0.999
    return scale


def line_boxes(page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage, text: str, spans: list[Span]) -> list[Box]:
    """One box per line the characters of ``spans`` (offsets into ``text``, the textpage's text) cover."""
    same_indices = len(text) == textpage.count_chars()
    lines: list[list[float]] = []  # left, bottom, right, top in page space
    for start, end in spans:
        for index in range(start, end):
            if text[index].isspace():
                continue
            char = index if same_indices else pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage.raw, index)
            if char < 0:
                continue
            left, bottom, right, top = textpage.get_charbox(char, loose=True)
            if right <= left or top <= bottom:
                continue
            if lines and _on_line(lines[-1], left, bottom, top):
                line = lines[-1]
                line[0], line[1], line[2], line[3] = min(line[0], left), min(line[1], bottom), max(line[2], right), max(
                    line[3], top)
            else:
                lines.append([left, bottom, right, top])
    return [_displayed(page, line) for line in lines]


def _on_line(line: list[float], left: float, bottom: float, top: float) -> bool:
    """The character continues ``line``: it overlaps the line's band and does not start back left
    of it (a wrap to the next line, or the next column)."""
    overlap = min(line[3], top) - max(line[1], bottom)
    return overlap >= _SAME_LINE * (top - bottom) and left >= line[2] - (top - bottom)


def _displayed(page: pypdfium2.PdfPage, line: list[float]) -> Box:
    xs, ys = [], []
    device_x, device_y = ctypes.c_int(), ctypes.c_int()
    for x, y in ((line[0], line[1]), (line[2], line[3]), (line[0], line[3]), (line[2], line[1])):
        pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, _DEVICE, _DEVICE, 0, x, y, device_x, device_y)
        xs.append(device_x.value / _DEVICE)
        ys.append(device_y.value / _DEVICE)

    def clamp(value: float) -> float:
        return round(min(1.0, max(0.0, value)), 5)

    return Box(x0=clamp(min(xs)), y0=clamp(min(ys)), x1=clamp(max(xs)), y1=clamp(max(ys)))


def _page(pdf: pypdfium2.PdfDocument, number: int) -> pypdfium2.PdfPage:
    if not 1 <= number <= len(pdf):
        raise PageNotFound(f"The PDF has {len(pdf)} page(s); there is no page {number}.", page=number,
                           page_count=len(pdf))
    return pdf[number - 1]


def _render(page: pypdfium2.PdfPage, number: int, width: int, caps: PixelCaps) -> bytes:
    width_pt, height_pt = page.get_size()
    if not (0 < width_pt <= MAX_SIDE_PT and 0 < height_pt <= MAX_SIDE_PT):
        raise FileTooComplex(f"Page {number} is {width_pt / 72:,.0f} x {height_pt / 72:,.0f} inches, larger than a "
                             "PDF page can be; it cannot be shown.", page=number)
    largest = largest_image(page)
    if largest is not None and largest[0] * largest[1] > caps.max_image_pixels:
        raise FileTooComplex(f"Page {number} holds an image of {largest[0]:,} x {largest[1]:,} pixels, over the "
                             f"{caps.max_image_pixels / 1e6:,.0f} megapixels an image may have; it cannot be shown.",
                             page=number, limit=caps.max_image_pixels)
    bitmap = page.render(scale=render_scale(width_pt, height_pt, width, caps.max_pixels), may_draw_forms=True)
    try:
        png = io.BytesIO()
        bitmap.to_pil().save(png, format="PNG", compress_level=6)
    finally:
        bitmap.close()
    return png.getvalue()
