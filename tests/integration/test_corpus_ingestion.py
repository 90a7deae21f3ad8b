"""Every file of the shared corpus through UploadDocument + ProcessDocument with the real
extractors: each one completes with named content present, or fails with its named error code.

Persistence, storage and queue are the contract-tested fakes; everything that reads a file is
real (pypdfium2, pdfplumber, openpyxl, python-docx, Tesseract)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rapidfuzz.distance import Levenshtein

from adapters.extractors.child_process import ChildProcessExtractor
from adapters.extractors.docx import DocxExtractor
from adapters.extractors.image import ImageExtractor
from adapters.extractors.ocr import TesseractOcr
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.registry import ExtractorMap
from adapters.extractors.text import PlainTextExtractor
from adapters.extractors.xlsx import XlsxExtractor
from application.use_cases.process_document import ProcessDocument
from application.use_cases.upload_document import UploadDocument, UploadDocumentCommand
from domain.errors import DomainError
from domain.users import Tier
from tests.binaries import require_binary
from tests.corpus import CORPUS, corpus_path, require_corpus
from tests.unit.conftest import World

OCR = "ocr"  # marks a case whose outcome needs Tesseract
TABLE = "|---|"
# file -> (expected status or error code, needles in the chunks' text, [OCR])
EXPECTED: dict[str, tuple] = {
    "pdf/text/pdflatex-4-pages.pdf": ("completed", ["Hello, here is some text without a meaning"]),
    "pdf/text/multicolumn.pdf": ("completed", ["Vienna"]),
    "pdf/text/GeoTopo-komprimiert.pdf": ("completed", ["Topologie"]),
    "pdf/text/federal-register-2020-17221.pdf": ("completed", ["Federal Register"]),
    "pdf/text/scotus-transcript-p1.pdf": ("completed", ["SUPREME COURT", "MIRZAYANCE"]),
    "pdf/text/habibi-arabic.pdf": ("completed", ["habibi"]),
    "pdf/tables/nics-background-checks-2015-11.pdf": ("completed", ["| Alabama | 18,870 | 23,022 | 22,650 |",
                                                                    "| Wyoming |", TABLE]),
    "pdf/tables/senate-expenditures.pdf": ("completed", ["| DOCUMENTNO. |", TABLE]),
    "pdf/tables/la-precinct-bulletin-2014-p1.pdf": ("completed", [TABLE]),
    "pdf/tables/chelsea_pdta.pdf": ("completed", [TABLE]),
    "pdf/scanned/c02-22.pdf": ("completed", ["tip-toeing", "kitchen"], OCR),
    "pdf/scanned/linn.pdf": ("completed", ["Linn"], OCR),
    "pdf/scanned/multipage.pdf": ("completed", [], OCR),
    "pdf/scanned/imagemagick-images.pdf": ("no_text_found", []),
    # the same brochure as linn.pdf: JBIG2, CCITT, skewed, /Rotate 90 plus skew, and baked in at
    # 0/90/180/270 degrees (page orientation is not corrected: the upright page carries the needle)
    **{f"pdf/scanned/{name}.pdf": ("completed", ["LinnSequencer", "MIDI"], OCR)
       for name in ("jbig2", "ccitt", "skew", "rotated_skew", "cardinal")},
    "pdf/scanned/2400dpi.pdf": ("completed", ["Linzensoep", "linzen"], OCR),  # read at 600 dpi, not 300
    "pdf/encrypted/password-example.pdf": ("password_required", []),
    "pdf/encrypted/libreoffice-writer-password.pdf": ("password_required", []),
    "pdf/encrypted/crazyones-encrypted-256.pdf": ("password_required", []),
    "pdf/encrypted/r2-owner-password.pdf": ("completed", []),
    "pdf/corrupt/invalid.pdf": ("file_corrupt", []),
    "pdf/corrupt/empty.pdf": ("file_empty", []),
    "pdf/corrupt/malformed-from-issue-932.pdf": ("completed", []),
    "pdf/corrupt/pdflatex-4-pages-truncated.pdf": ("file_corrupt", []),
    "pdf/corrupt/docx-renamed.pdf": ("completed", ["Lorem ipsum"]),  # sniffed as the DOCX it is
    **{f"pdf/sec-10q/{name}.pdf": ("completed", ["CONDENSED CONSOLIDATED", TABLE])
       for name in ("2022-Q3-AAPL", "2023-Q1-AAPL", "2023-Q2-AAPL", "2023-Q3-AAPL", "2023-Q3-NVDA")},
    "pdf/sec-10q/2023-Q3-AAPL.pdf": ("completed", [
        "CONDENSED CONSOLIDATED", "| Three Months Ended July 1, 2023 | Three Months Ended June 25, 2022 |",
        "| Total net sales | 81,797 | 82,959 | 293,787 | 304,182 |"]),
    "pdf/sec-10q/2023-Q3-NVDA.pdf": ("completed", [
        "CONDENSED CONSOLIDATED", "| Three Months Ended October 29, 2023 | Three Months Ended October 30, 2022 |",
        "| Revenue | $18,120 | $5,931 | $38,819 | $20,923 |"]),
    "docx/IllustrativeCases.docx": ("completed", ["ILLUSTRATIVE CASES", TABLE]),
    "docx/bug57031.docx": ("completed", ["Cancer.csv", TABLE]),
    "docx/bug65649.docx": ("completed", ["ГОСУДАРСТВЕННЫЙ КОНТРАКТ", TABLE]),
    "docx/heading123.docx": ("completed", ["Pellentesque"]),
    "docx/blk-paras-and-tables.docx": ("completed", ["Lorem ipsum", TABLE]),
    "docx/bug53475-password-is-pass.docx": ("password_required", []),
    "docx/truncated62886.docx": ("file_corrupt", []),
    "xlsx/FormulaEvalTestData_Copy.xlsx": ("completed", ["EverythingTests", TABLE]),
    "xlsx/CVLKRA-KYC_Download_File_Structure_V3.1.xlsx": ("completed", ["KYC HEADER", "| S.No | Field |"]),
    "xlsx/DataTableCities.xlsx": ("completed", ["Latitude", "198905700"]),
    "xlsx/simple-monthly-budget.xlsx": ("completed", ["MONTHLY INCOME", "2500"]),
    "xlsx/AverageTaxRates.xlsx": ("completed", ["AVERAGE TAX RATES"]),
    "xlsx/55906-MultiSheetRefs.xlsx": ("completed", ["Hello!"]),
    "xlsx/protected_passtika.xlsx": ("password_required", []),
    "hostile/poc-xmlbomb.xlsx": ("hostile_file", []),
    "hostile/poc-shared-strings.xlsx": ("file_too_complex", []),
    "hostile/ExternalEntityInText.docx": ("hostile_file", []),
    "hostile/zipbomb-256MiB.docx": ("hostile_file", []),
    "hostile/enormous.pdf": ("completed", ["9000", "pixels"], OCR),  # 2160 pt page read at 167 dpi (25 MP)
    "hostile/hugemono.pdf": ("file_too_complex", [], OCR),  # its 35,000 x 35,000 image is never decoded
    "groundtruth/GeoTopo-book.txt": ("completed", ["Topologie"]),
    "groundtruth/linn.txt": ("completed", ["Linn"]),
    "groundtruth/scotus-transcript-p1.txt": ("completed", ["SUPREME COURT"]),
    "qa/squad/squad2-dev-cs224n-split.json": ("completed", ["Normandy"]),
    "tools/make_synthetic.py": ("completed", ["zipfile"]),
}
EXPECTED.update({  # image documents, read by OCR: RGB, RGBA, palette, JPEG and CMYK JPEG decode alike
    **{f"images/{name}": ("completed", ["Milafranga", "Mugerre"], OCR)
       for name in ("baiona.png", "baiona_alpha.png", "baiona_colormapped.png", "baiona_color.jpg", "baiona_cmyk.jpg")},
    "images/linn.png": ("completed", ["LinnSequencer", "MIDI"], OCR),
    "images/typewriter.png": ("completed", ["Linzensoep", "linzen"], OCR),
})
PENDING: frozenset[str] = frozenset()  # corpus files whose outcome is not decided yet (none today)


def run(relative: str):  # noqa: ANN201 - (outcome, document, chunk texts)
    world = World()
    world.extractors = ExtractorMap([ChildProcessExtractor(extractor, memory_mb=1024) for extractor in (
        PdfExtractor(ocr=TesseractOcr()), XlsxExtractor(), DocxExtractor(), PlainTextExtractor(),
        ImageExtractor(ocr=TesseractOcr()))])  # as deployed
    user = world.add_user(tier=Tier.PREMIUM)
    path = corpus_path(relative)
    upload = UploadDocument(uow=world.uow, storage=world.storage, queue=world.queue, extractors=world.extractors,
                            tiers=world.tiers, clock=world.clock)
    try:
        document = upload(UploadDocumentCommand(user_id=user.id, filename=path.name, data=path.read_bytes())).document
    except DomainError as error:
        return error.code, None, []
    ProcessDocument(uow=world.uow, storage=world.storage, extractors=world.extractors, notifier=world.notifier,
                    clock=world.clock, tiers=world.tiers)(document.id)
    document = world.document(document.id)
    texts = [c.text for c in world.store.chunks.get(document.id, [])]
    return (document.error_code or document.status.value), document, texts


def test_every_corpus_file_has_an_expected_outcome() -> None:
    require_corpus()
    files = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file()}
    data = {f for f in files if not f.startswith("LICENSES/") and f != "MANIFEST.md"}
    assert data == set(EXPECTED) | PENDING
    assert not set(EXPECTED) & PENDING


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_corpus_file_outcome(relative: str) -> None:
    expected, needles, *flags = EXPECTED[relative]
    if OCR in flags:
        require_binary("tesseract", "tesseract-ocr")
    outcome, document, texts = run(relative)
    assert outcome == expected, document.error_message if document else outcome
    text = "\n".join(texts)
    for needle in needles:
        assert needle in text, f"{needle!r} not found in {relative}"
    if expected == "completed":
        assert document.extractor and document.extractor_version


def _tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def similarity(extracted: str, truth: str) -> float:
    """Bag-of-words F1 (order-free: chunk overlap repeats some words, so recall uses the set sizes)."""
    got, want = _tokens(extracted), _tokens(truth)
    common = sum((got & want).values())
    recall = common / max(1, sum(want.values()))
    precision = common / max(1, sum(got.values()))
    return 2 * precision * recall / max(1e-9, precision + recall)


def levenshtein_similarity(extracted: str, truth: str) -> float:
    """1 - normalised edit distance after whitespace normalisation (the py-pdf benchmark's measure)."""
    return Levenshtein.normalized_similarity(" ".join(extracted.split()), " ".join(truth.split()))


def test_geotopo_text_matches_its_ground_truth() -> None:
    """Measured 0.967: the rest is superscripts on their own line ("S\n2" for S²), formulas, and
    line-end hyphens that pdfium drops ("Schwarz-Weiß" -> "SchwarzWeiß")."""
    truth = corpus_path("groundtruth/GeoTopo-book.txt").read_text()
    extraction = PdfExtractor(tables=False).extract(corpus_path("pdf/text/GeoTopo-komprimiert.pdf").read_bytes(),
                                                    kind=None)
    assert extraction.page_count == 117
    assert levenshtein_similarity("\n".join(s.text for s in extraction.segments), truth) >= 0.95


def test_linn_ocr_text_is_close_to_its_ground_truth() -> None:
    require_binary("tesseract", "tesseract-ocr")
    truth = corpus_path("groundtruth/linn.txt").read_text()
    extraction = PdfExtractor(ocr=TesseractOcr()).extract(corpus_path("pdf/scanned/linn.pdf").read_bytes(), kind=None)
    assert extraction.notes == ("Pages read by OCR: 1.",)
    assert similarity(extraction.segments[0].text, truth) >= 0.8
