"""Thumbnails from the real extractors: a JPEG of the first page, at most 320 pixels a side, for
PDFs (text or scanned) and images; none where drawing it would decode an image over the cap."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from adapters.extractors.image import ImageExtractor
from adapters.extractors.ocr import TesseractOcr
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.pdf_render import PixelCaps
from adapters.extractors.thumbnails import THUMBNAIL_SIDE, pdf_thumbnail
from domain.documents import DocumentKind
from tests.binaries import require_binary
from tests.corpus import corpus_path


def _picture(data: bytes | None) -> Image.Image:
    assert data is not None
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG" and max(picture.size) == THUMBNAIL_SIDE
    return picture


@pytest.mark.parametrize("relative", ["pdf/scanned/linn.pdf", "images/baiona_cmyk.jpg", "images/baiona_alpha.png"])
def test_first_pages_are_drawn_small(relative: str) -> None:
    require_binary("tesseract", "tesseract-ocr")
    data = corpus_path(relative).read_bytes()
    if relative.endswith(".pdf"):
        extraction = PdfExtractor(ocr=TesseractOcr()).extract(data, kind=DocumentKind.PDF)
    else:
        extraction = ImageExtractor(TesseractOcr()).extract(data, kind=DocumentKind.IMAGE)
    picture = _picture(extraction.thumbnail)
    assert picture.mode == "RGB"
    if relative.endswith("alpha.png"):  # transparency drawn on white, not black
        assert picture.convert("L").getpixel((2, 2)) > 200


def test_no_thumbnail_when_it_would_decode_an_image_over_the_cap() -> None:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(corpus_path("hostile/hugemono.pdf").read_bytes())
    try:
        page = pdf[0]
        assert pdf_thumbnail(page, PixelCaps(max_image_pixels=100_000_000)) is None
        page.close()
    finally:
        pdf.close()
