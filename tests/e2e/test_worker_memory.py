"""The memory ceiling end to end, on both queue backends: the issue-13 PDF (one 200 x 200 inch page,
generated here) with the OCR pixel cap lifted would need a 3.6 GB bitmap; its extraction child is
stopped at ASSISTANT_WORKER_MEMORY_MB, the document fails with file_too_complex, the worker stays
small and processes the next document."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from adapters.persistence.migrate import upgrade
from tests.binaries import require_binary
from tests.e2e.conftest import ASSISTANT, Cli, clean_env, stop, wait_until
from tests.pdf_factory import image_page_pdf

UNCAPPED = {"ASSISTANT_OCR_MAX_PIXELS": "10000000000", "ASSISTANT_WORKER_MEMORY_MB": "1024"}


@pytest.fixture
def huge_page(tmp_path: Path) -> Path:
    require_binary("tesseract", "tesseract-ocr")
    path = tmp_path / "huge-page.pdf"
    path.write_bytes(image_page_pdf(14_400, 14_400))
    return path


def _documents(url: str) -> dict[str, tuple[str, str | None, str | None]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT filename, status, error_code, error_message FROM documents"))
            return {r[0]: (r[1], r[2], r[3]) for r in rows}
    finally:
        engine.dispose()


def _peak_rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmHWM")


@pytest.mark.postgres
def test_the_rq_worker_fails_the_huge_page_under_the_ceiling_and_completes_the_next(
        tmp_path: Path, make_postgres_database: Callable[[], str], redis_server_url: str, redis_prefix: str,
        huge_page: Path, notes: Path) -> None:
    url = make_postgres_database()
    upgrade(url)
    cli = Cli(home=tmp_path, env={**clean_env(tmp_path), **UNCAPPED, "ASSISTANT_DATABASE_URL": url,
                                  "ASSISTANT_REDIS_URL": redis_server_url, "ASSISTANT_REDIS_PREFIX": redis_prefix})
    for path in (huge_page, notes):  # the huge page first: the worker meets it before the notes
        assert cli("ingest", str(path), "--no-wait", "--json").code == 0
    worker = subprocess.Popen([str(ASSISTANT), "worker"], cwd=tmp_path, env=cli.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: {d[0] for d in _documents(url).values()} <= {"completed", "failed"}, 120)
        peak = _peak_rss_mb(worker.pid)
        assert worker.poll() is None  # alive after the child that hit the ceiling
    finally:
        stop(worker, signal.SIGTERM)
    documents = _documents(url)
    status, code, message = documents["huge-page.pdf"]
    assert (status, code) == ("failed", "file_too_complex")
    assert "1024 MB of memory" in message and "Traceback" not in message
    assert documents["notes.md"][0] == "completed"
    assert peak < 1024  # the 3.6 GB bitmap was never the worker's


def test_the_inline_queue_fails_the_huge_page_under_the_ceiling_and_completes_the_next(
        cli: Cli, huge_page: Path, notes: Path) -> None:
    """Embedded profile: the inline queue runs in the CLI's own process (as in the API's)."""
    run = cli("ingest", str(huge_page), str(notes), "--json", env=UNCAPPED)
    results = {Path(r["file"]).name: r for r in run.json()}
    assert results["huge-page.pdf"]["status"] == "failed"
    assert results["huge-page.pdf"]["error_code"] == "file_too_complex"
    assert "1024 MB of memory" in results["huge-page.pdf"]["error_message"]
    assert results["notes.md"]["status"] == "completed"
    assert run.code != 0 and "Traceback" not in run.err


def test_with_the_default_caps_the_huge_page_is_read_at_low_resolution(cli: Cli, huge_page: Path) -> None:
    run = cli("ingest", str(huge_page), "--json")
    (result,) = run.json()
    assert (result["status"], result["error_code"]) == ("failed", "no_text_found")  # a grey page, read
    assert "Pages read by OCR: 1." in result["error_message"]
