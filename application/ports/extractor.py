"""Text extraction from a document's bytes into located segments, within a tier's caps."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

import attrs

from domain.chunks import Segment
from domain.documents import DocumentKind
from domain.errors import FileTooComplex

ProgressCallback = Callable[[int, int], None]


@attrs.frozen(kw_only=True)
class ExtractionLimits:
    """Caps per document (from the owner's tier); the defaults suit tests and tools."""

    max_pages: int = 5000
    max_characters: int = 40_000_000
    max_seconds: float = 3600.0


class Budget:
    """Counts pages and characters and watches the clock; raises FileTooComplex past a cap.

    Extractors call ``page()`` before each page/sheet/segment and ``add(text)`` for each piece of
    text they keep, so a hostile file stops as soon as it crosses a cap, not after."""

    def __init__(self, limits: ExtractionLimits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or ExtractionLimits()
        self._clock = clock
        self._deadline = clock() + self.limits.max_seconds
        self.pages = 0
        self.characters = 0

    def check_pages(self, total: int) -> None:
        if total > self.limits.max_pages:
            raise FileTooComplex(f"The document has {total} pages; this tier processes up to "
                                 f"{self.limits.max_pages}.", pages=total, limit=self.limits.max_pages)

    def page(self) -> None:
        self.pages += 1
        self.check_pages(self.pages)
        self.check_time()

    def add(self, text: str) -> str:
        self.characters += len(text)
        if self.characters > self.limits.max_characters:
            raise FileTooComplex(f"The document holds more than {self.limits.max_characters:,} characters of "
                                 "text, the cap of this tier.", limit=self.limits.max_characters)
        return text

    def remaining_seconds(self) -> float:
        """Time left before the cap, for calls that take a timeout (e.g. one OCR subprocess)."""
        return max(0.0, self._deadline - self._clock())

    def check_time(self) -> None:
        if self._clock() > self._deadline:
            raise FileTooComplex(f"Processing took longer than {self.limits.max_seconds:.0f} s, the cap of "
                                 "this tier.", limit=self.limits.max_seconds)


@attrs.frozen(kw_only=True)
class Extraction:
    segments: list[Segment]
    page_count: int | None = None
    notes: tuple[str, ...] = ()  # e.g. "pages 3, 7 have no text layer and OCR is not installed"
    thumbnail: bytes | None = None  # a JPEG of the first page, at most THUMBNAIL_SIDE pixels a side


class Extractor(Protocol):
    kinds: frozenset[DocumentKind]
    name: str  # stored with the document, so documents can be re-processed when
    version: str  # an extractor improves

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None,
                budget: Budget | None = None) -> Extraction:
        """Raise FileCorrupt, PasswordRequired, HostileFile, FileTooComplex, NoTextFound ... for bad input."""
        ...


class ExtractorRegistry(Protocol):
    def supported_kinds(self) -> frozenset[DocumentKind]: ...
    def for_kind(self, kind: DocumentKind) -> Extractor:
        """Raise UnsupportedFileType when no extractor serves ``kind``."""
        ...

    def unlock(self, data: bytes, *, kind: DocumentKind, password: str) -> bytes:
        """The file without its password protection; PasswordRequired when ``password`` is wrong,
        UnsupportedFileType when this kind cannot be unlocked."""
        ...

    def decrypt_office(self, data: bytes, *, password: str) -> bytes:
        """The .docx/.xlsx package inside a password-protected Office file (see
        domain.file_kinds.is_encrypted_office); PasswordRequired when ``password`` is wrong."""
        ...

    def bundle_photos(self, photos: list[bytes]) -> bytes:
        """Photos sent together (JPEG) as one PDF, a page each, without decoding them; FileCorrupt
        for a photo that is not a JPEG, HostileFile for one over the image pixel cap."""
        ...
