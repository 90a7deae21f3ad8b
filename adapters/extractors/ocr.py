"""OCR of page images with the Tesseract command-line tool (Debian: tesseract-ocr, -eng, -rus).

Tesseract is called as a subprocess (stdin PNG -> stdout text), so no Python binding is needed;
``available()`` is false when the binary or the wanted language data is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cached_property


_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # Tesseract's OpenMP threads slow it down on few cores


class TesseractOcr:
    name = "tesseract"

    def __init__(self, languages: str = "eng+rus", binary: str = "tesseract", timeout: float = 120.0) -> None:
        self.languages = languages
        self.binary = binary
        self.timeout = timeout

    @cached_property
    def _installed_languages(self) -> frozenset[str]:
        path = shutil.which(self.binary)
        if path is None:
            return frozenset()
        try:
            out = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            return frozenset()
        return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())

    def usable_languages(self) -> str:
        return "+".join(lang for lang in self.languages.split("+") if lang in self._installed_languages)

    def available(self) -> bool:
        return bool(self.usable_languages())

    def image_to_text(self, png: bytes, *, timeout: float | None = None) -> str:
        """Text of a PNG image; empty when Tesseract fails on it or runs past ``timeout`` seconds
        (at most ``self.timeout``): the subprocess is killed then, so a caller's time cap holds."""
        limit = self.timeout if timeout is None else max(0.0, min(self.timeout, timeout))
        try:
            done = subprocess.run([self.binary, "stdin", "stdout", "-l", self.usable_languages()], input=png,
                                  capture_output=True, timeout=limit, env=_ENV)
        except (OSError, subprocess.SubprocessError):  # TimeoutExpired: run() has killed it already
            return ""
        return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""
