"""Frames of an image document (a photo, a scan, a page of a TIFF) for the citation viewer: their
displayed size, and a frame as a PNG of a given width.

Opened as the image extractor opens them (its formats only, the declared size checked against
``max_image_pixels`` before anything is decoded: HostileFile past it), turned upright and flattened
on white (adapters.extractors.thumbnails.flattened), never enlarged, at most ``max_pixels``. The
text of an image came from OCR and no character boxes were kept, so no passage is boxed."""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Sequence

from PIL import Image

from adapters.extractors.image import ImageExtractor
from adapters.extractors.pdf_render import PixelCaps
from adapters.extractors.thumbnails import flattened
from domain.citation_views import PageView, PagesView
from domain.errors import FileCorrupt, PageNotFound

_TURNED = frozenset({5, 6, 7, 8})  # EXIF orientations that swap width and height


def image_pages(data: bytes, pages: Sequence[int], caps: PixelCaps) -> PagesView:
    image = _opener(caps)._open(data)  # noqa: SLF001 - the extractor's checked opening
    frames = getattr(image, "n_frames", 1)
    views = []
    for number in pages:
        _seek(image, number, frames)
        width, height = image.size
        if image.getexif().get(0x0112, 1) in _TURNED:
            width, height = height, width
        views.append(PageView(page=number, width=width, height=height))
    return PagesView(page_count=frames, pages=tuple(views))


def frame_png(data: bytes, number: int, width: int, caps: PixelCaps) -> bytes:
    opener = _opener(caps)
    image = opener._open(data)  # noqa: SLF001
    _seek(image, number, getattr(image, "n_frames", 1))
    opener._check_size(image)  # noqa: SLF001 - each frame of a TIFF declares its own size
    try:
        with warnings.catch_warnings():  # the cap above decides, not Pillow's default warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            frame = flattened(image).convert("RGB")
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise FileCorrupt(f"Page {number} of the image is damaged.") from error
    scale = min(1.0, width / frame.width, math.sqrt(caps.max_pixels / (frame.width * frame.height)))
    if scale < 1.0:
        frame = frame.resize((max(1, round(frame.width * scale)), max(1, round(frame.height * scale))),
                             Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    frame.save(buffer, format="PNG")
    return buffer.getvalue()


def _opener(caps: PixelCaps) -> ImageExtractor:
    return ImageExtractor(max_pixels=caps.max_pixels, max_image_pixels=caps.max_image_pixels)


def _seek(image: Image.Image, number: int, frames: int) -> None:
    if not 1 <= number <= frames:
        raise PageNotFound(f"The image has {frames} page(s); there is no page {number}.", page=number,
                           page_count=frames)
    try:
        image.seek(number - 1)
    except (OSError, EOFError, ValueError) as error:
        raise FileCorrupt(f"Page {number} of the image is damaged.") from error
