"""Speech to text for audio documents and voice notes."""

from __future__ import annotations

from typing import Protocol

from domain.chunks import Segment


class Transcriber(Protocol):
    def transcribe(self, audio: bytes, *, language: str | None = None) -> list[Segment]:
        """Segments carry time-range locators."""
        ...
