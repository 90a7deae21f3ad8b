"""Shells end to end: the real ``assistant`` console script in a subprocess, on a fresh home."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.e2e.bot_api_server import FakeBotApi, running_bot_api

ASSISTANT = Path(sys.executable).with_name("assistant")


def stop(process: subprocess.Popen[Any], how: signal.Signals = signal.SIGINT, timeout: float = 30) -> str:
    """Ask a shell subprocess to stop (``how``); its stderr when captured as text, else ''. One that
    has not stopped after ``timeout`` seconds is killed and fails the test: stopping is behaviour."""
    process.send_signal(how)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
        pytest.fail(f"{process.args} did not stop on {how.name} within {timeout} s: {err or ''}")
    return err or ""


def wait_until(predicate: Callable[[], object], timeout: float = 30.0, interval: float = 0.05) -> bool:
    """Poll ``predicate`` until it is true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False

# the stock of two SKUs at two depots: the follow-up tests' table ("and at the Riga depot?")
STOCK_CSV = "SKU,Depot,Units\nKX-19,Tallinn,120\nKX-19,Riga,75\nKX-22,Tallinn,340\nKX-22,Riga,410\n"

NOTES = """# Quarterly notes

## Payment terms
Invoices are payable within 30 days of receipt. Late payments incur a fee of 2% per month.

## Office
The Berlin office opens at 9 am and closes at 6 pm on weekdays.
"""


@attrs.define
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@attrs.define
class Cli:
    home: Path
    env: dict[str, str]

    def __call__(self, *args: str, env: dict[str, str] | None = None, timeout: float = 120) -> Run:
        done = subprocess.run([str(ASSISTANT), *args], cwd=self.home, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)
        return Run(done.returncode, done.stdout, done.stderr)


def clean_env(home: Path) -> dict[str, str]:
    """The parent's environment without ASSISTANT_* settings, plus a private home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return {**env, "ASSISTANT_HOME": str(home / "var"), "ASSISTANT_LOG_LEVEL": "WARNING"}


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    assert ASSISTANT.exists(), f"console script missing: {ASSISTANT} (run `make install`)"
    return Cli(home=tmp_path, env=clean_env(tmp_path))


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    return path


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """A fake Telegram Bot API server (test_api.py overrides ``api`` with its HTTP client)."""
    with running_bot_api() as server:
        yield server
