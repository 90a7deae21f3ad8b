"""The document and its processing life cycle."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import attrs

from domain.errors import DocumentFailed, DocumentNotReady


class DocumentStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


class DocumentKind(StrEnum):
    """The type sniffed from the bytes (never trusted from the filename)."""

    PDF = "pdf"
    XLSX = "xlsx"
    DOCX = "docx"
    TEXT = "text"
    MARKDOWN = "markdown"
    CSV = "csv"
    AUDIO = "audio"
    IMAGE = "image"  # a photo or scan: JPEG, PNG, WebP, TIFF (read by OCR)


@attrs.define(kw_only=True)
class Document:
    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    owner_id: uuid.UUID
    filename: str
    kind: DocumentKind
    size: int
    sha256: str
    storage_key: str
    status: DocumentStatus = DocumentStatus.PENDING
    error_code: str | None = None
    error_message: str | None = None
    page_count: int | None = None
    progress_done: int = 0
    progress_total: int = 0
    # Written by complete(); not loaded by the repository's reads (it can be megabytes): read it with
    # DocumentRepository.extracted_text. An update leaves the stored text alone while this is None.
    extracted_text: str | None = attrs.field(default=None, repr=False, eq=False)
    extractor: str | None = None  # name and version of the extractor that produced the text,
    extractor_version: str | None = None  # so documents can be re-processed when it improves
    notes: str | None = None  # what a user should know about a completed document (pages not read ...)
    thumbnail_key: str | None = None  # a small picture of the first page, in the file storage
    created_at: datetime
    updated_at: datetime

    def start_processing(self, now: datetime) -> None:
        self.status = DocumentStatus.PROCESSING
        self.error_code = self.error_message = None
        self.progress_done = 0
        self.updated_at = now

    def report_progress(self, done: int, total: int, now: datetime) -> None:
        self.progress_done, self.progress_total = max(0, done), max(0, total)
        self.updated_at = now

    def complete(self, *, text: str, page_count: int | None, now: datetime, extractor: str | None = None,
                 extractor_version: str | None = None, notes: str | None = None,
                 thumbnail_key: str | None = None) -> None:
        self.status = DocumentStatus.COMPLETED
        self.thumbnail_key = thumbnail_key
        self.extracted_text = text
        self.page_count = page_count
        self.extractor, self.extractor_version, self.notes = extractor, extractor_version, notes
        self.progress_done = self.progress_total = max(self.progress_total, 1)
        self.updated_at = now

    def blob_keys(self) -> list[str]:
        """Every stored blob of the document: the file, and its thumbnail when it has one."""
        return [self.storage_key, *([self.thumbnail_key] if self.thumbnail_key else [])]

    def fail(self, *, code: str, message: str, now: datetime) -> None:
        self.status = DocumentStatus.FAILED
        self.error_code, self.error_message = code, message
        self.updated_at = now

    @property
    def answerable(self) -> bool:
        """Whether questions may be asked about it (ensure_answerable says why not)."""
        return self.status is DocumentStatus.COMPLETED

    def ensure_answerable(self) -> None:
        """Raise unless the document can be asked about."""
        if self.status is DocumentStatus.FAILED:
            raise DocumentFailed(
                f"Document {self.filename!r} could not be processed: {self.error_message}",
                document_id=str(self.id),
                reason=self.error_code,
            )
        if not self.answerable:
            raise DocumentNotReady(
                f"Document {self.filename!r} is still {self.status.value}; ask again when it is ready.",
                document_id=str(self.id),
                document_status=self.status.value,
            )


def clean_filename(filename: str, *, default: str = "document") -> str:
    """A display name: the last path component, no control characters, at most 200 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().strip(".")
    return name[:200] or default
