"""Photos and scans as documents: JPEG, PNG, WebP and TIFF (every frame of a multi-page TIFF a
page), read by OCR with page locators.

Sizes are read from the file's header before anything is decoded: an image declaring more than
``max_image_pixels`` (a decompression bomb: a few KB that inflate to gigabytes) is a HostileFile
and never decoded. A decoded frame is turned upright (EXIF orientation), flattened onto white
(alpha), converted to grayscale (CMYK, palettes, 16-bit) and sized for Tesseract: small images
are enlarged (labels on a 640 px map), large ones reduced to ``max_pixels``."""

from __future__ import annotations

import io
import math
import warnings

from PIL import Image, UnidentifiedImageError

from adapters.extractors.ocr import TesseractOcr
from adapters.extractors.thumbnails import flattened, image_thumbnail
from application.ports.extractor import Budget, Extraction, ProgressCallback
from domain.chunks import Segment
from domain.documents import DocumentKind
from domain.errors import FileCorrupt, HostileFile, NoTextFound
from domain.locators import Locator

FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "TIFF"})  # MPO: a JPEG with more frames (cameras)
OPENERS = ("JPEG", "PNG", "WEBP", "TIFF")  # the only decoders Pillow may try (MPO comes through JPEG)
_SMALL_SIDE = 1600  # pixels: a frame whose longer side is below this is enlarged for OCR
_MAX_ENLARGE = 3.0


class ImageExtractor:
    """Implements application.ports.extractor.Extractor for DocumentKind.IMAGE."""

    kinds = frozenset({DocumentKind.IMAGE})
    name = "image"
    version = "1"

    def __init__(self, ocr: TesseractOcr | None = None, *, max_pixels: int = 25_000_000,
                 max_image_pixels: int = 100_000_000) -> None:
        self.ocr = ocr
        self.max_pixels = max_pixels
        self.max_image_pixels = max_image_pixels

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None,
                budget: Budget | None = None) -> Extraction:
        budget = budget or Budget()
        image = self._open(data)
        frames = getattr(image, "n_frames", 1)
        budget.check_pages(frames)
        if self.ocr is None or not self.ocr.available():
            raise NoTextFound("Images are read by OCR (Tesseract), which is not installed on this server.")
        segments, thumbnail = [], None
        for index in range(frames):
            budget.page()
            budget.check_time()
            png = self.page_png(image, index)
            if index == 0:
                thumbnail = image_thumbnail(image)
            text = self.ocr.image_to_text(png, timeout=budget.remaining_seconds())
            del png
            budget.check_time()
            if text.strip():
                segments.append(Segment(text=budget.add(text.strip()), locator=Locator(page=index + 1)))
            if progress is not None:
                progress(index + 1, frames)
        if not segments:
            raise NoTextFound("No text was found in this image.")
        return Extraction(segments=segments, page_count=frames, thumbnail=thumbnail,
                          notes=(f"Read by OCR: {frames} page{'s' if frames > 1 else ''}.",))

    def _open(self, data: bytes) -> Image.Image:
        try:
            with warnings.catch_warnings():  # the cap below decides, not Pillow's default warning
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data), formats=OPENERS)  # the header only
        except Image.DecompressionBombError:
            raise self._bomb() from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
            raise FileCorrupt("The image is damaged or in a format that cannot be read.") from error
        if image.format not in FORMATS:
            raise FileCorrupt("The image is damaged or in a format that cannot be read.")
        self._check_size(image)
        return image

    def _check_size(self, image: Image.Image) -> None:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise FileCorrupt("The image declares no size.")
        if width * height > self.max_image_pixels:
            raise self._bomb(width, height)

    def _bomb(self, width: int = 0, height: int = 0) -> HostileFile:
        size = f" of {width:,} x {height:,} pixels" if width else ""
        return HostileFile(f"This image{size} is larger than the {self.max_image_pixels / 1e6:,.0f} megapixels an "
                           "image may have; it was not opened.", max_pixels=self.max_image_pixels)

    def page_png(self, image: Image.Image, index: int) -> bytes:
        """Frame ``index`` as a grayscale PNG sized for OCR (checked against the caps before decoding)."""
        try:
            image.seek(index)
            self._check_size(image)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image.load()
            frame = upright_gray(image)
        except Image.DecompressionBombError:
            raise self._bomb(*image.size) from None
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            raise FileCorrupt(f"Page {index + 1} of the image is damaged.") from error
        frame = resized_for_ocr(frame, self.max_pixels)
        buffer = io.BytesIO()
        frame.save(buffer, format="PNG")
        return buffer.getvalue()


def upright_gray(image: Image.Image) -> Image.Image:
    """The frame turned as its EXIF says, on white where transparent, in 8-bit grayscale."""
    frame = flattened(image)
    return (frame.convert("RGB") if frame.mode == "CMYK" else frame).convert("L")


def resized_for_ocr(frame: Image.Image, max_pixels: int) -> Image.Image:
    width, height = frame.size
    scale = min(_MAX_ENLARGE, _SMALL_SIDE / max(width, height)) if max(width, height) < _SMALL_SIDE else 1.0
    scale = min(scale, math.sqrt(max_pixels / (width * height)))
    if abs(scale - 1.0) < 0.01:
        return frame
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return frame.resize(size, Image.Resampling.LANCZOS)
