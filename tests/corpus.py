"""The shared third-party test documents: ../shared/corpus beside the repository.

A missing file skips the test with a reason, except under CI=true, where it fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("ASSISTANT_TEST_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))


def corpus_path(relative: str) -> Path:
    path = CORPUS / relative
    if not path.is_file():
        _missing(f"test corpus file not available: {path}")
    return path


def require_corpus() -> Path:
    """The corpus directory itself, for tests that walk all of it."""
    if not CORPUS.is_dir():
        _missing(f"test corpus not available: {CORPUS}")
    return CORPUS


def _missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (required under CI=true)")
    pytest.skip(message)
