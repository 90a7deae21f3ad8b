"""The processing-time cap reaches inside one OCR call: Tesseract gets the time left as its timeout.

A stand-in ``tesseract`` (a shell script that lists languages, then hangs on any image) shows
that a hanging page is killed at the cap, and the document fails with file_too_complex."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from adapters.extractors.ocr import TesseractOcr
from adapters.extractors.pdf import PdfExtractor
from application.ports.extractor import Budget, ExtractionLimits
from domain.documents import DocumentKind
from domain.errors import FileTooComplex
from tests.corpus import corpus_path
from tests.fakes import FakeTicks

_HANGING_TESSERACT = """#!/bin/sh
if [ "$1" = "--list-langs" ]; then
  printf 'List of available languages in "/x" (2):\\neng\\nrus\\n'
  exit 0
fi
sleep 30
touch '{survived}'
echo 'ran to the end'
"""


@pytest.fixture
def survived(tmp_path: Path) -> Path:
    """Created by the stand-in only if it is not killed before its 30 s sleep ends."""
    return tmp_path / "survived"


@pytest.fixture
def hanging_tesseract(tmp_path: Path, survived: Path) -> str:
    script = tmp_path / "tesseract"
    script.write_text(_HANGING_TESSERACT.format(survived=survived))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_a_hanging_ocr_call_is_killed_at_the_given_timeout(hanging_tesseract: str, survived: Path) -> None:
    ocr = TesseractOcr(binary=hanging_tesseract, timeout=60)
    assert ocr.available()
    assert ocr.image_to_text(b"\x89PNG not really", timeout=0.5) == ""
    assert not survived.exists()  # killed at 0.5 s, not left to run out its 30 s (nor the OCR's own 60 s)


def test_the_documents_time_cap_stops_a_page_inside_its_ocr_call(hanging_tesseract: str, survived: Path) -> None:
    data = corpus_path("pdf/scanned/c02-22.pdf").read_bytes()  # one image-only page
    budget = Budget(ExtractionLimits(max_seconds=1.0))
    with pytest.raises(FileTooComplex) as caught:
        PdfExtractor(ocr=TesseractOcr(binary=hanging_tesseract, timeout=60)).extract(
            data, kind=DocumentKind.PDF, budget=budget)
    assert not survived.exists()  # killed at the cap: not the script's 30 s, nor the OCR's own 60 s
    assert caught.value.code == "file_too_complex"


def test_budget_reports_the_time_left() -> None:
    clock = FakeTicks(100.0)
    budget = Budget(ExtractionLimits(max_seconds=5), clock=clock)
    assert budget.remaining_seconds() == 5
    clock.now = 103.5
    assert budget.remaining_seconds() == 1.5
    clock.now = 110
    assert budget.remaining_seconds() == 0
