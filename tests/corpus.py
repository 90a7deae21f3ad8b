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
        if os.environ.get("CI") == "true":
            pytest.fail(f"test corpus file missing under CI: {path}")
        pytest.skip(f"test corpus file not available: {path}")
    return path
