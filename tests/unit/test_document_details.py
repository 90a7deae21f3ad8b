"""A document's extractor (name, version) and notes reach the API's document model."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domain.documents import Document, DocumentKind
from entrypoints.api.schemas import DocumentOut


def test_the_api_document_shows_extractor_and_notes() -> None:
    now = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    document = Document(owner_id=uuid.uuid4(), filename="scan.pdf", kind=DocumentKind.PDF, size=10, sha256="0" * 64,
                        storage_key="k", created_at=now, updated_at=now)
    document.start_processing(now)
    document.complete(text="text", page_count=3, now=now, extractor="pdf", extractor_version="2",
                      notes="Pages without a text layer were not read (OCR is not installed): 2.")
    out = DocumentOut.of(document).model_dump()
    assert (out["extractor"], out["extractor_version"]) == ("pdf", "2")
    assert out["notes"] == "Pages without a text layer were not read (OCR is not installed): 2."
    pending = Document(owner_id=uuid.uuid4(), filename="a.txt", kind=DocumentKind.TEXT, size=1, sha256="1" * 64,
                       storage_key="k", created_at=now, updated_at=now)
    assert DocumentOut.of(pending).model_dump()["extractor"] is None
