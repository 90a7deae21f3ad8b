"""ChildProcessExtractor: each document read in a child process under RLIMIT_AS, with real
extractors and real files; the test extractors below misbehave on purpose (they are imported by
the child from this module)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from adapters.extractors.child_process import ChildProcessExtractor
from adapters.extractors.ocr import TesseractOcr
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.pdf_render import PixelCaps
from application.errors import TransientError
from application.ports.extractor import Budget, Extraction, ExtractionLimits
from domain.chunks import Segment
from domain.documents import DocumentKind
from domain.errors import FileCorrupt, FileTooComplex
from domain.locators import Locator
from tests.binaries import require_binary
from tests.corpus import corpus_path
from tests.pdf_factory import image_page_pdf

PDF = DocumentKind.PDF


class Misbehaving:
    """An extractor that does what ``data`` says: allocate, die, hang, fail, or report its limit."""

    kinds = frozenset({DocumentKind.TEXT})
    name = "misbehaving"
    version = "1"

    def extract(self, data: bytes, *, kind: DocumentKind, progress=None, budget: Budget | None = None) -> Extraction:  # noqa: ANN001
        command, _, argument = data.decode().partition(" ")
        if command == "allocate":  # megabytes, touched so they are really there
            blob = bytearray(int(argument) << 20)
            blob[::4096] = b"x" * len(blob[::4096])
        elif command == "sigkill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif command == "hang":  # with a grandchild; records both pids, then sleeps
            child = subprocess.Popen(["sleep", "60"])
            Path(argument).write_text(f"{os.getpid()} {child.pid}")
            child.wait()
        elif command == "transient":
            raise TransientError("the speech service is down")
        elif command == "bug":
            raise ValueError("a bug")
        elif command == "progress":
            for done in range(1, 4):
                progress(done, 3)
        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        return Extraction(segments=[Segment(text=f"limit {limit} pid {os.getpid()}", locator=Locator(paragraph=1))],
                          notes=(f"budget {budget.limits.max_pages} {budget.limits.max_characters}",))


def contained(memory_mb: int = 512) -> ChildProcessExtractor:
    return ChildProcessExtractor(Misbehaving(), memory_mb=memory_mb)


def test_the_child_runs_under_the_memory_ceiling_with_the_callers_caps() -> None:
    budget = Budget(ExtractionLimits(max_pages=7, max_characters=99))
    extraction = contained(300).extract(b"report", kind=DocumentKind.TEXT, budget=budget)
    limit, pid = extraction.segments[0].text.split()[1::2]
    assert int(limit) == 300 << 20
    assert int(pid) != os.getpid()
    assert extraction.notes == ("budget 7 99",)
    assert resource.getrlimit(resource.RLIMIT_AS)[0] != 300 << 20  # the caller is not capped


def test_memory_over_the_ceiling_is_file_too_complex_and_the_next_document_is_read() -> None:
    extractor = contained(300)
    with pytest.raises(FileTooComplex, match="more than the 300 MB of memory"):
        extractor.extract(b"allocate 400", kind=DocumentKind.TEXT)
    assert extractor.extract(b"allocate 100", kind=DocumentKind.TEXT).segments


def test_a_killed_child_is_file_too_complex() -> None:
    with pytest.raises(FileTooComplex) as caught:
        contained().extract(b"sigkill", kind=DocumentKind.TEXT)
    assert caught.value.code == "file_too_complex" and caught.value.details == {"limit_mb": 512}


def test_a_child_past_the_time_cap_is_killed_with_what_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild"
    budget = Budget(ExtractionLimits(max_seconds=0.2))
    with pytest.raises(FileTooComplex, match="longer than"):
        contained().extract(f"hang {pid_file}".encode(), kind=DocumentKind.TEXT, budget=budget)
    assert all(_dead(int(pid)) for pid in pid_file.read_text().split())  # with its group: no sleep left


def test_a_child_dies_with_its_worker(tmp_path: Path) -> None:
    """A worker SIGKILLed mid-document: its fork server exits, and the child with it (no orphan
    reading on to the time cap for nobody)."""
    pid_file = tmp_path / "pids"
    script = (f"from tests.integration.test_extraction_memory_ceiling import contained; "
              f"from domain.documents import DocumentKind; "
              f"contained().extract(b'hang {pid_file}', kind=DocumentKind.TEXT)")
    worker = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parents[2])
    try:
        assert wait_until(pid_file.exists, 60)
    finally:
        worker.kill()
        worker.wait()
    child = int(pid_file.read_text().split()[0])
    assert wait_until(lambda: _dead(child), 30)


def wait_until(predicate, timeout: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _dead(pid: int) -> bool:
    """Gone, or a zombie waiting for a reaper (the sleep's parent, the child, is dead: PID 1 adopts it)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


def test_progress_reaches_the_caller_and_errors_keep_their_kind() -> None:
    reports: list[tuple[int, int]] = []
    contained().extract(b"progress", kind=DocumentKind.TEXT, progress=lambda d, t: reports.append((d, t)))
    assert reports == [(1, 3), (2, 3), (3, 3)]
    with pytest.raises(TransientError, match="speech service is down"):
        contained().extract(b"transient", kind=DocumentKind.TEXT)
    with pytest.raises(RuntimeError, match="ValueError: a bug"):  # a crash, logged as such by ProcessDocument
        contained().extract(b"bug", kind=DocumentKind.TEXT)


def test_a_real_pdf_reads_the_same_in_the_child_and_its_domain_errors_come_back_whole() -> None:
    data = corpus_path("pdf/text/pdflatex-4-pages.pdf").read_bytes()
    inside = ChildProcessExtractor(PdfExtractor(), memory_mb=1024).extract(data, kind=PDF)
    assert inside == PdfExtractor().extract(data, kind=PDF)
    with pytest.raises(FileCorrupt, match="damaged or truncated"):
        ChildProcessExtractor(PdfExtractor(), memory_mb=1024).extract(b"%PDF-1.4 nothing", kind=PDF)
    with pytest.raises(FileTooComplex) as caught:
        ChildProcessExtractor(PdfExtractor(), memory_mb=1024).extract(
            data, kind=PDF, budget=Budget(ExtractionLimits(max_pages=2)))
    assert caught.value.details == {"pages": 4, "limit": 2}


def test_the_issue_13_page_without_a_pixel_cap_is_stopped_by_the_ceiling() -> None:
    """An 800-byte PDF with a 200 x 200 inch page: at 300 dpi, a 3.6 GB bitmap."""
    require_binary("tesseract", "tesseract-ocr")
    uncapped = PixelCaps(max_pixels=10_000_000_000, max_image_pixels=10_000_000_000)
    extractor = ChildProcessExtractor(PdfExtractor(ocr=TesseractOcr(), caps=uncapped), memory_mb=1024)
    with pytest.raises(FileTooComplex, match="1024 MB of memory"):
        extractor.extract(image_page_pdf(14_400, 14_400), kind=PDF)
    scanned = extractor.extract(corpus_path("pdf/scanned/c02-22.pdf").read_bytes(), kind=PDF)
    assert "kitchen" in " ".join(s.text for s in scanned.segments)


def test_two_threads_extract_at_once() -> None:
    """The inline queue runs jobs on several threads: each gets its own child."""
    extractor = contained()
    with ThreadPoolExecutor(4) as pool:
        pids = set(pool.map(lambda _: extractor.extract(b"report", kind=DocumentKind.TEXT).segments[0].text.split()[3],
                            range(8)))
    assert len(pids) == 8
