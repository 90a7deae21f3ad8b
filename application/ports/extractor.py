"""Text extraction from a document's bytes into located segments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import attrs

from domain.chunks import Segment
from domain.documents import DocumentKind

ProgressCallback = Callable[[int, int], None]


@attrs.frozen(kw_only=True)
class Extraction:
    segments: list[Segment]
    page_count: int | None = None


class Extractor(Protocol):
    kinds: frozenset[DocumentKind]

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None) -> Extraction:
        """Raise FileCorrupt, FileEncrypted, NoTextFound ... (domain errors) for bad input."""
        ...


class ExtractorRegistry(Protocol):
    def supported_kinds(self) -> frozenset[DocumentKind]: ...
    def for_kind(self, kind: DocumentKind) -> Extractor:
        """Raise UnsupportedFileType when no extractor serves ``kind``."""
        ...
