"""The extraction child starts whatever the main program is (a script read from stdin too), and
one that exits by itself is a crash of ours, not a file too complex for the user to blame."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.extractors.child_process import ChildProcessExtractor
from adapters.extractors.text import PlainTextExtractor
from application.ports.extractor import Extraction
from domain.documents import DocumentKind

PROGRAM = """
from adapters.extractors.child_process import ChildProcessExtractor
from adapters.extractors.text import PlainTextExtractor
from domain.documents import DocumentKind
extraction = ChildProcessExtractor(PlainTextExtractor(), memory_mb=1024).extract(b"Invoices are due in 30 days.",
                                                                                 kind=DocumentKind.TEXT)
print(extraction.segments[0].text)
"""


def test_a_program_read_from_stdin_can_extract_in_a_child() -> None:
    done = subprocess.run([sys.executable, "-"], input=PROGRAM, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "Invoices are due in 30 days."


class ExitingExtractor(PlainTextExtractor):
    def extract(self, data: bytes, **kwargs: object) -> Extraction:  # type: ignore[override]
        os._exit(3)


def test_a_child_that_exits_by_itself_is_an_internal_error() -> None:
    with pytest.raises(RuntimeError, match="exited with code 3"):
        ChildProcessExtractor(ExitingExtractor(), memory_mb=1024).extract(b"text", kind=DocumentKind.TEXT)
