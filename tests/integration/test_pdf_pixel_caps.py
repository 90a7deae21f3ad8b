"""OCR page images within the pixel caps (adapters.extractors.pdf_render), on generated PDFs and the
corpus's very large pages, with real pypdfium2 (and Tesseract where a page is read)."""

from __future__ import annotations

import struct

import pypdfium2
import pytest

from adapters.extractors.child_process import ChildProcessExtractor
from adapters.extractors.ocr import TesseractOcr
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.pdf_render import BASE_DPI, PixelCaps, ocr_scale, page_png
from domain.documents import DocumentKind
from domain.errors import FileTooComplex, NoTextFound
from tests.binaries import require_binary
from tests.corpus import corpus_path
from tests.pdf_factory import image_page_pdf

CAPS = PixelCaps()


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def first_page_png(data: bytes, caps: PixelCaps = CAPS) -> bytes:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return page_png(pdf[0], 1, caps)
    finally:
        pdf.close()


@pytest.mark.parametrize(("width", "height"), [(612, 792), (2160, 2160), (14_400, 14_400), (14_400, 100), (3, 14_400)])
def test_the_scale_keeps_every_page_image_under_the_cap(width: int, height: int) -> None:
    scale = ocr_scale(width, height, CAPS)
    assert scale <= BASE_DPI / 72
    assert (width * scale) * (height * scale) <= CAPS.max_pixels * 1.0001


def test_a_letter_page_is_read_at_300_dpi_and_a_fine_scan_at_its_own_resolution_up_to_600() -> None:
    assert ocr_scale(612, 792, CAPS) == BASE_DPI / 72
    assert ocr_scale(120, 86, CAPS, image_dpi=2400) == 600 / 72
    assert ocr_scale(612, 792, CAPS, image_dpi=400) == 400 / 72


def test_the_corpus_poster_page_is_rendered_within_the_cap() -> None:
    width, height = png_size(first_page_png(corpus_path("hostile/enormous.pdf").read_bytes()))
    assert width * height <= CAPS.max_pixels
    assert (width, height) == (5000, 5000)  # 2160 pt at 167 dpi, not 9000 x 9000 at 300


def test_a_small_page_scanned_at_2400_dpi_is_rendered_at_600() -> None:
    width, height = png_size(first_page_png(corpus_path("pdf/scanned/2400dpi.pdf").read_bytes()))
    assert abs(width - 1000) <= 2 and abs(height - 717) <= 2  # 120 x 86 pt at 600 dpi, not 500 x 358 at 300


def test_a_page_larger_than_pdf_allows_is_refused_unrendered() -> None:
    with pytest.raises(FileTooComplex, match="larger than a PDF page can be"):
        first_page_png(image_page_pdf(20_000, 700))


def test_an_image_over_the_image_cap_is_never_decoded() -> None:
    """20,000 x 20,000 grey pixels: 400 MB decoded. Under a 256 MB ceiling, decoding it would end as
    the memory error; the refusal names the image instead, so it was not decoded."""
    require_binary("tesseract", "tesseract-ocr")
    data = image_page_pdf(1000, 1000, image_px=(20_000, 20_000))
    assert len(data) < 500_000
    extractor = ChildProcessExtractor(PdfExtractor(ocr=TesseractOcr()), memory_mb=256)
    with pytest.raises(FileTooComplex, match="image of 20,000 x 20,000 pixels, over the 100 megapixels"):
        extractor.extract(data, kind=DocumentKind.PDF)


def test_the_corpus_huge_monochrome_page_is_refused_by_its_image_size() -> None:
    require_binary("tesseract", "tesseract-ocr")
    with pytest.raises(FileTooComplex, match="35,000 x 35,000 pixels"):
        PdfExtractor(ocr=TesseractOcr()).extract(corpus_path("hostile/hugemono.pdf").read_bytes(),
                                                 kind=DocumentKind.PDF)


def test_the_issue_13_page_is_read_at_low_resolution_instead_of_3_6_gigapixels() -> None:
    require_binary("tesseract", "tesseract-ocr")
    width, height = png_size(first_page_png(image_page_pdf(14_400, 14_400)))
    assert width * height <= CAPS.max_pixels
    extractor = ChildProcessExtractor(PdfExtractor(ocr=TesseractOcr()), memory_mb=1024)
    with pytest.raises(NoTextFound) as caught:  # a grey page: read, and nothing found on it
        extractor.extract(image_page_pdf(14_400, 14_400), kind=DocumentKind.PDF)
    assert caught.value.code == "no_text_found"
    assert "Pages read by OCR: 1." in caught.value.message
