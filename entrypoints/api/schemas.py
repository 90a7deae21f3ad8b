"""Response and request models of the API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from domain.chunks import Chunk
from domain.conversations import Conversation
from domain.documents import Document
from domain.users import User


class Progress(BaseModel):
    done: int
    total: int


class DocumentOut(BaseModel):
    id: uuid.UUID
    filename: str
    kind: str
    size: int
    status: str
    error_code: str | None
    error_message: str | None
    page_count: int | None
    progress: Progress
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, doc: Document) -> DocumentOut:
        return cls(id=doc.id, filename=doc.filename, kind=doc.kind.value, size=doc.size, status=doc.status.value,
                   error_code=doc.error_code, error_message=doc.error_message, page_count=doc.page_count,
                   progress=Progress(done=doc.progress_done, total=doc.progress_total),
                   created_at=doc.created_at, updated_at=doc.updated_at)


class UploadOut(DocumentOut):
    duplicate: bool = False


class DocumentList(BaseModel):
    items: list[DocumentOut]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= to get the next page.")


class QueryIn(BaseModel):
    question: str = Field(..., min_length=1, max_length=4000, pattern=r"[^\s\x00-\x1f\x7f\u200b\ufeff]",
                          description="At least one visible character.", examples=["What are the payment terms?"])


class ChunkOut(BaseModel):
    ordinal: int
    text: str
    label: str = Field(..., examples=["page 3"])
    locators: list[dict[str, Any]]
    token_count: int

    @classmethod
    def of(cls, chunk: Chunk) -> ChunkOut:
        return cls(ordinal=chunk.ordinal, text=chunk.text, label=chunk.label,
                   locators=[loc.to_dict() for loc in chunk.locators], token_count=chunk.token_count)


class CitationOut(BaseModel):
    number: int
    document_id: uuid.UUID
    chunk_ordinal: int
    label: str = Field(..., examples=["page 12"])
    locators: list[dict[str, Any]]
    quote: str


class AnswerOut(BaseModel):
    id: uuid.UUID
    document_id: uuid.UUID | None
    question: str
    answer: str
    citations: list[CitationOut]
    model: str
    tokens_in: int
    tokens_out: int
    cost_usd: float
    latency_ms: int
    cached: bool
    created_at: datetime

    @classmethod
    def of(cls, conv: Conversation) -> AnswerOut:
        return cls(id=conv.id, document_id=conv.document_id, question=conv.question, answer=conv.answer,
                   citations=[CitationOut(**c.to_dict()) for c in conv.citations], model=conv.model,
                   tokens_in=conv.tokens_in, tokens_out=conv.tokens_out, cost_usd=conv.cost_usd,
                   latency_ms=conv.latency_ms, cached=conv.cached, created_at=conv.created_at)


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    code: str


def PROBLEM_RESPONSES(*statuses: int) -> dict[int | str, dict[str, Any]]:  # noqa: N802 - reads as a constant
    """OpenAPI entries for error responses, all application/problem+json (400 always: a malformed request)."""
    return {status: {"model": Problem, "content": {"application/problem+json": {}}} for status in {400, *statuses}}


class UserOut(BaseModel):
    id: uuid.UUID
    email: str | None
    username: str | None
    telegram_id: int | None
    role: str
    tier: str
    status: str
    language: str
    active_document_id: uuid.UUID | None
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, email=user.email, username=user.username, telegram_id=user.telegram_id,
                   role=user.role.value, tier=user.tier.value, status=user.status.value, language=user.language,
                   active_document_id=user.active_document_id, created_at=user.created_at)
