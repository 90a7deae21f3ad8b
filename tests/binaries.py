"""System programs some tests need (Debian packages the Makefile installs): a missing one skips
the test with a reason, except under CI=true, where it fails."""

from __future__ import annotations

import os
import shutil

import pytest


def require_binary(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package {package}; `make system-deps` installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
