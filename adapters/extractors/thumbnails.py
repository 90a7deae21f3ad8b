"""Thumbnails of a document's first page: a JPEG at most THUMBNAIL_SIDE pixels a side, made from
what the extractor has already opened (never a reason for a document to fail)."""

from __future__ import annotations

import io

import pypdfium2
import structlog
from PIL import Image, ImageOps

from adapters.extractors.pdf_render import MAX_SIDE_PT, PixelCaps, largest_image

THUMBNAIL_SIDE = 320
log = structlog.get_logger(__name__)


def flattened(image: Image.Image) -> Image.Image:
    """The current frame as it is meant to be seen: turned as its EXIF says, transparency drawn on
    white, 16-bit samples brought to 8 (its mode otherwise kept: CMYK, palette, RGB, L)."""
    frame = ImageOps.exif_transpose(image) or image
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        frame = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    if frame.mode in ("I;16", "I;16B", "I;16L", "I"):
        frame = frame.point(lambda value: value / 256)
    return frame


def image_thumbnail(image: Image.Image) -> bytes | None:
    """The current frame of a decoded image, upright, on white, in RGB."""
    try:
        small = flattened(image).convert("RGB")
        small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
        return _jpeg(small)
    except (OSError, ValueError) as error:  # an odd mode or a broken frame: no thumbnail, the text still counts
        log.info("thumbnail_skipped", reason=str(error))
        return None


def pdf_thumbnail(page: pypdfium2.PdfPage, caps: PixelCaps) -> bytes | None:
    """The page rendered small; None for a page box or an image over the caps (nothing decoded)."""
    width, height = page.get_size()
    if not (0 < width <= MAX_SIDE_PT and 0 < height <= MAX_SIDE_PT):
        return None
    largest = largest_image(page)
    if largest is not None and largest[0] * largest[1] > caps.max_image_pixels:
        return None
    try:
        bitmap = page.render(scale=THUMBNAIL_SIDE / max(width, height))
        try:
            return _jpeg(bitmap.to_pil().convert("RGB"))
        finally:
            bitmap.close()
    except (pypdfium2.PdfiumError, OSError, ValueError) as error:
        log.info("thumbnail_skipped", reason=str(error))
        return None


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80, optimize=True)
    return buffer.getvalue()
