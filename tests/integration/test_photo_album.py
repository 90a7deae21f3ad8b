"""Photos sent together become one PDF, a page per photo, their JPEG bytes embedded undecoded;
the PDF extractor then reads each page by OCR with its page number."""

from __future__ import annotations


import pypdfium2
import pytest

from adapters.extractors.ocr import TesseractOcr
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.photo_album import photos_to_pdf
from domain.documents import DocumentKind
from domain.errors import FileCorrupt, HostileFile
from tests.binaries import require_binary
from tests.corpus import corpus_path
from tests.image_factory import corpus_jpeg


def test_an_album_is_a_pdf_of_its_photos_read_page_by_page() -> None:
    require_binary("tesseract", "tesseract-ocr")
    photos = [corpus_jpeg("images/linn.png"), corpus_jpeg("images/typewriter.png")]
    pdf = photos_to_pdf(photos)
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) == 2
        image = next(document[1].get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]))
        assert image.get_filters() == ["DCTDecode"] and photos[1] in pdf  # embedded as sent, not re-encoded
    finally:
        document.close()
    extraction = PdfExtractor(ocr=TesseractOcr()).extract(pdf, kind=DocumentKind.PDF)
    by_page = {s.locator.page: s.text for s in extraction.segments}
    assert "LinnSequencer" in by_page[1] and "Linzensoep" in by_page[2]


def test_photos_that_are_not_jpegs_or_too_large_are_refused() -> None:
    with pytest.raises(FileCorrupt):
        photos_to_pdf([corpus_jpeg("images/baiona.png"), corpus_path("images/baiona.png").read_bytes()])
    with pytest.raises(FileCorrupt):
        photos_to_pdf([])
    with pytest.raises(HostileFile):
        photos_to_pdf([corpus_jpeg("images/linn.png")], max_image_pixels=1_000_000)  # 2550 x 3300 = 8.4 MP
