"""ImageExtractor with the real Tesseract: a multi-page TIFF is a document of pages, a photo taken
sideways is read upright (EXIF), WebP decodes, and image bombs are refused before decoding."""

from __future__ import annotations

import pytest
from PIL import Image

from adapters.extractors.image import ImageExtractor
from adapters.extractors.ocr import TesseractOcr
from application.ports.extractor import Budget, ExtractionLimits
from domain.documents import DocumentKind
from domain.errors import FileCorrupt, FileTooComplex, HostileFile, NoTextFound
from tests.binaries import require_binary
from tests.corpus import corpus_path
from tests.image_factory import corpus_tiff, declared_png, saved


@pytest.fixture(scope="module")
def extractor() -> ImageExtractor:
    require_binary("tesseract", "tesseract-ocr")
    return ImageExtractor(TesseractOcr())


def test_a_multi_page_tiff_is_read_page_by_page(extractor: ImageExtractor) -> None:
    tiff = corpus_tiff("images/linn.png", "images/typewriter.png")
    pages: list[tuple[int, int]] = []
    extraction = extractor.extract(tiff, kind=DocumentKind.IMAGE, progress=lambda done, total: pages.append((done, total)))
    assert extraction.page_count == 2 and pages == [(1, 2), (2, 2)]
    by_page = {s.locator.page: s.text for s in extraction.segments}
    assert "LinnSequencer" in by_page[1] and "Linzensoep" in by_page[2]


def test_a_sideways_photo_is_read_upright_and_webp_decodes(extractor: ImageExtractor) -> None:
    upright = Image.open(corpus_path("images/linn.png")).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; viewers rotate 90 degrees clockwise
    sideways = saved(upright.rotate(90, expand=True), "JPEG", exif=exif, quality=90)
    assert "LinnSequencer" in extractor.extract(sideways, kind=DocumentKind.IMAGE).segments[0].text
    webp = saved(upright, "WEBP", quality=90)
    assert "LinnSequencer" in extractor.extract(webp, kind=DocumentKind.IMAGE).segments[0].text


@pytest.mark.parametrize("size", [(20_000, 20_000), (100_000, 2_000)])
def test_an_image_declaring_too_many_pixels_is_hostile_and_never_decoded(extractor: ImageExtractor,
                                                                          size: tuple[int, int]) -> None:
    with pytest.raises(HostileFile, match="megapixels"):
        extractor.extract(declared_png(*size), kind=DocumentKind.IMAGE)


def test_a_real_decompression_bomb_is_refused(extractor: ImageExtractor) -> None:
    bomb = saved(Image.new("1", (12_000, 12_000)), "PNG", optimize=True)  # 144 MP in a few tens of KB
    assert len(bomb) < 200_000
    with pytest.raises(HostileFile):
        extractor.extract(bomb, kind=DocumentKind.IMAGE)


def test_damaged_blank_and_too_long_images_get_their_errors(extractor: ImageExtractor) -> None:
    photo = saved(Image.open(corpus_path("images/baiona_color.jpg")), "JPEG")
    with pytest.raises(FileCorrupt):
        extractor.extract(photo[: len(photo) // 3], kind=DocumentKind.IMAGE)
    with pytest.raises(FileCorrupt):
        extractor.extract(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, kind=DocumentKind.IMAGE)
    with pytest.raises(NoTextFound):
        extractor.extract(saved(Image.new("L", (800, 600), 255), "PNG"), kind=DocumentKind.IMAGE)
    pages = saved(Image.new("L", (50, 50), 255), "TIFF", save_all=True,
                   append_images=[Image.new("L", (50, 50), 255)] * 4)
    with pytest.raises(FileTooComplex):
        extractor.extract(pages, kind=DocumentKind.IMAGE, budget=Budget(ExtractionLimits(max_pages=3)))
