"""Page images for OCR within pixel caps, decided from the page box and the images' declared sizes
before anything is rendered or decoded.

A page is rendered at 300 dpi, or at the resolution of its largest image when that is finer
(a small page scanned at 2400 dpi), at most ``max_dpi``; then scaled down so the bitmap holds at
most ``max_pixels`` (a 2160 pt poster page is read at 167 dpi instead of 81 megapixels at 300).
A page larger than the PDF format allows (ISO 32000-1 Annex C: 14,400 units a side) is refused as
FileTooComplex. An image whose /Width x /Height is over ``max_image_pixels`` is never decoded: its
page is not rendered (OcrRefused names it) and the page counts as unread."""

from __future__ import annotations

import ctypes
import io
import math

import attrs
import pypdfium2
import pypdfium2.raw as pdfium_c

from domain.errors import FileTooComplex

BASE_DPI = 300
MAX_SIDE_PT = 14_400  # PDF's own limit for a page side (200 inches)
_OBJECT_DEPTH = 15  # images inside form XObjects nested this deep are found and checked


@attrs.frozen(kw_only=True)
class PixelCaps:
    max_pixels: int = 25_000_000  # of the rendered page bitmap
    max_image_pixels: int = 100_000_000  # of one image as declared in the file
    max_dpi: int = 600


class OcrRefused(Exception):
    """The page holds an image over the image cap; ``reason`` says which (safe to show)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def page_png(page: pypdfium2.PdfPage, number: int, caps: PixelCaps) -> bytes:
    """The page as a grayscale PNG for OCR, within ``caps``; FileTooComplex for an absurd page box,
    OcrRefused for an image over the image cap."""
    width, height = page.get_size()
    if not (0 < width <= MAX_SIDE_PT and 0 < height <= MAX_SIDE_PT):
        raise FileTooComplex(f"Page {number} is {width / 72:,.0f} x {height / 72:,.0f} inches, larger than a PDF "
                             f"page can be ({MAX_SIDE_PT // 72} x {MAX_SIDE_PT // 72}); the document was not read.",
                             page=number)
    largest = largest_image(page)
    if largest is not None and largest[0] * largest[1] > caps.max_image_pixels:
        raise OcrRefused(f"page {number} holds an image of {largest[0]:,} x {largest[1]:,} pixels, over the "
                         f"{caps.max_image_pixels / 1e6:,.0f} megapixels an image may have")
    scale = ocr_scale(width, height, caps, _image_dpi(largest, page))
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        png = io.BytesIO()
        bitmap.to_pil().save(png, format="PNG")
    finally:
        bitmap.close()
    return png.getvalue()


def ocr_scale(width_pt: float, height_pt: float, caps: PixelCaps, image_dpi: float = 0.0) -> float:
    """Pixels per point: BASE_DPI (or ``image_dpi`` up to ``caps.max_dpi``), down to ``caps.max_pixels``."""
    dpi = max(BASE_DPI, min(image_dpi, caps.max_dpi))
    fit = math.sqrt(caps.max_pixels / (width_pt * height_pt)) * 72
    return min(dpi, fit) / 72


def largest_image(page: pypdfium2.PdfPage) -> tuple[int, int] | None:
    """The largest image's declared pixel size (read from its dictionary: nothing decoded)."""
    largest = None
    width, height = ctypes.c_uint(), ctypes.c_uint()
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=_OBJECT_DEPTH):
        if pdfium_c.FPDFImageObj_GetImagePixelSize(image.raw, width, height):
            if largest is None or width.value * height.value > largest[0] * largest[1]:
                largest = (width.value, height.value)
    return largest


def _image_dpi(largest: tuple[int, int] | None, page: pypdfium2.PdfPage) -> float:
    """The resolution of the largest image if it covered the page's width (0 without images)."""
    if largest is None:
        return 0.0
    width, height = page.get_size()
    return max(largest[0] / width, largest[1] / height) * 72 if width and height else 0.0
