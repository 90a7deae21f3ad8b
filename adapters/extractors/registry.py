"""Which extractor serves which document kind, and which can remove a file's password
(PDFs through their extractor, Word/Excel packages through adapters.extractors.office_crypto)."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.extractors.office_crypto import decrypt_office
from adapters.extractors.photo_album import photos_to_pdf
from application.ports.extractor import Extractor
from domain.documents import DocumentKind
from domain.errors import UnsupportedFileType


class ExtractorMap:
    """Implements application.ports.extractor.ExtractorRegistry; the first extractor listed for a kind serves it."""

    def __init__(self, extractors: Sequence[Extractor], *, max_image_pixels: int = 100_000_000) -> None:
        self.max_image_pixels = max_image_pixels
        self._by_kind: dict[DocumentKind, Extractor] = {}
        for extractor in extractors:
            for kind in extractor.kinds:
                self._by_kind.setdefault(kind, extractor)

    def supported_kinds(self) -> frozenset[DocumentKind]:
        return frozenset(self._by_kind)

    def for_kind(self, kind: DocumentKind) -> Extractor:
        try:
            return self._by_kind[kind]
        except KeyError:
            raise UnsupportedFileType(f"{kind.value} files are not supported.", kind=kind.value) from None

    def unlock(self, data: bytes, *, kind: DocumentKind, password: str) -> bytes:
        unlock = getattr(self.for_kind(kind), "unlock", None)
        if unlock is None:
            raise UnsupportedFileType(f"Password-protected {kind.value} files are not supported.", kind=kind.value)
        return unlock(data, password=password)

    def decrypt_office(self, data: bytes, *, password: str) -> bytes:
        return decrypt_office(data, password)

    def bundle_photos(self, photos: list[bytes]) -> bytes:
        return photos_to_pdf(photos, max_image_pixels=self.max_image_pixels)
