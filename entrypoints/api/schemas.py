"""Response and request models of the API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain.chunks import Chunk
from domain.conversations import Conversation
from domain.documents import Document
from domain.locators import locator_words, merge_label
from domain.users import User
from entrypoints.api.problems import PROBLEM_JSON, problem_body
from entrypoints.api.request_body import RequestBody


# example values shared by the models' OpenAPI examples (what /docs shows a newcomer)
EXAMPLE_USER_ID = "0b7e3a52-4c1d-4e8e-9a57-2f1d7c3b9e10"
EXAMPLE_DOCUMENT_ID = "5f0c2d9e-8b1a-4f3e-a6d2-7c4b1e9f0a33"
EXAMPLE_TIME = "2026-03-02T09:15:00Z"


def example(*examples: dict[str, Any]) -> ConfigDict:
    """A model configuration carrying OpenAPI examples (checked against the model by the tests)."""
    return ConfigDict(json_schema_extra={"examples": list(examples)})


EXAMPLE_DOCUMENT: dict[str, Any] = {
    "id": EXAMPLE_DOCUMENT_ID, "filename": "terms.pdf", "kind": "pdf", "size": 182_344, "status": "completed",
    "error_code": None, "error_message": None, "page_count": 12, "progress": {"done": 12, "total": 12},
    "created_at": EXAMPLE_TIME, "updated_at": "2026-03-02T09:15:04Z", "extractor": "pdf", "extractor_version": "2",
    "notes": None,
}
EXAMPLE_CITATION: dict[str, Any] = {
    "number": 1, "document_id": EXAMPLE_DOCUMENT_ID, "chunk_ordinal": 7, "label": "page 4",
    "locators": [{"page": 4}], "quote": "Invoices are payable within 30 days of receipt.",
}
EXAMPLE_ANSWER: dict[str, Any] = {
    "id": "9d3f6a1e-2b7c-4e58-8f0a-1c2d3e4f5a6b", "document_id": EXAMPLE_DOCUMENT_ID,
    "question": "When are invoices payable?", "answer": "Invoices are payable within 30 days of receipt [1].",
    "citations": [EXAMPLE_CITATION], "model": "gemini-2.5-flash", "tokens_in": 1830, "tokens_out": 24,
    "cost_usd": 0.000609, "latency_ms": 912, "cached": False, "created_at": EXAMPLE_TIME,
}
EXAMPLE_USER: dict[str, Any] = {
    "id": EXAMPLE_USER_ID, "email": "ann@example.com", "username": "ann", "telegram_id": None, "role": "user",
    "tier": "free", "status": "active", "language": "en", "active_document_id": EXAMPLE_DOCUMENT_ID,
    "created_at": "2026-03-01T18:02:11Z",
}


class Progress(BaseModel):
    model_config = example({"done": 3, "total": 12})

    done: int
    total: int


class DocumentOut(BaseModel):
    model_config = example(EXAMPLE_DOCUMENT)

    id: uuid.UUID
    filename: str
    kind: str
    size: int
    status: str
    error_code: str | None
    error_message: str | None
    page_count: int | None
    progress: Progress
    extractor: str | None = Field(None, description="The extractor that produced the text.", examples=["pdf"])
    extractor_version: str | None = Field(None, examples=["2"])
    notes: str | None = Field(None, description="What to know about the text, e.g. pages without a text layer.",
                              examples=["Pages without a text layer were not read (OCR is not installed): 3, 7."])
    thumbnail_url: str | None = Field(None, description="A JPEG of the first page (processed PDFs and images).",
                                      examples=["/api/v1/documents/7d1c2b3a-0f0e-4c55-9a3e-2f4b5c6d7e8f/thumbnail"])
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, doc: Document) -> DocumentOut:
        return cls(id=doc.id, filename=doc.filename, kind=doc.kind.value, size=doc.size, status=doc.status.value,
                   error_code=doc.error_code, error_message=doc.error_message, page_count=doc.page_count,
                   progress=Progress(done=doc.progress_done, total=doc.progress_total),
                   extractor=doc.extractor, extractor_version=doc.extractor_version, notes=doc.notes,
                   thumbnail_url=f"/api/v1/documents/{doc.id}/thumbnail" if doc.thumbnail_key else None,
                   created_at=doc.created_at, updated_at=doc.updated_at)


class UploadOut(DocumentOut):
    model_config = example({**EXAMPLE_DOCUMENT, "status": "pending", "page_count": None, "progress": {"done": 0,
                            "total": 0}, "updated_at": EXAMPLE_TIME, "duplicate": False})

    duplicate: bool = False


class DocumentList(BaseModel):
    model_config = example({"items": [EXAMPLE_DOCUMENT], "next_cursor": "AAZMBwVwbQBfDC2eixpPPqbSfEsenwoz"})

    items: list[DocumentOut]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= to get the next page.")


class QueryIn(RequestBody):
    model_config = example({"question": "When are invoices payable?"})

    question: str = Field(..., min_length=1, max_length=4000, pattern=r"[^\W_]",
                          description="At least one letter or digit.", examples=["What are the payment terms?"])


class ChunkOut(BaseModel):
    model_config = example({"ordinal": 7, "text": "Invoices are payable within 30 days of receipt.",
                            "label": "page 4", "locators": [{"page": 4}], "token_count": 11})

    ordinal: int
    text: str
    label: str = Field(..., examples=["page 3"])
    locators: list[dict[str, Any]]
    token_count: int

    @classmethod
    def of(cls, chunk: Chunk, language: str = "en") -> ChunkOut:
        return cls(ordinal=chunk.ordinal, text=chunk.text, label=merge_label(chunk.locators, locator_words(language)),
                   locators=[loc.to_dict() for loc in chunk.locators], token_count=chunk.token_count)


class ChunkList(BaseModel):
    model_config = example({"items": [{"ordinal": 7, "text": "Invoices are payable within 30 days of receipt.",
                                       "label": "page 4", "locators": [{"page": 4}], "token_count": 11}],
                            "next_cursor": "AAAAAAAH"})

    items: list[ChunkOut]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= to get the next page.")


class CitationOut(BaseModel):
    model_config = example(EXAMPLE_CITATION)

    number: int
    document_id: uuid.UUID
    chunk_ordinal: int
    label: str = Field(..., examples=["page 12"],
                       description="Where the passage stands, in the language Accept-Language asks for "
                                   "(en or ru; English otherwise).")
    locators: list[dict[str, Any]]
    quote: str


class AnswerOut(BaseModel):
    model_config = example(EXAMPLE_ANSWER)

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
    def of(cls, conv: Conversation, language: str = "en") -> AnswerOut:
        """``language``: of the citations' labels (entrypoints.api.languages)."""
        return cls(id=conv.id, document_id=conv.document_id, question=conv.question, answer=conv.answer,
                   citations=[CitationOut(**{**c.to_dict(), "label": c.label_in(language)}) for c in conv.citations],
                   model=conv.model,
                   tokens_in=conv.tokens_in, tokens_out=conv.tokens_out, cost_usd=conv.cost_usd,
                   latency_ms=conv.latency_ms, cached=conv.cached, created_at=conv.created_at)


class Problem(BaseModel):
    model_config = example({"type": "about:blank#document_not_found", "title": "Document not found", "status": 404,
                            "detail": "Document not found.", "code": "document_not_found"})

    type: str
    title: str
    status: int
    detail: str
    code: str


# status -> (what it means here, an example code, an example detail)
PROBLEM_CASES: dict[int, tuple[str, str, str]] = {
    400: ("The request could not be parsed (a body that is not JSON at all).", "invalid_input",
          "The request body could not be parsed."),
    401: ("Missing, invalid or expired credentials: send `Authorization: Bearer <access token>` or "
          "`X-API-Key: <API key>`.", "invalid_credentials", "The token is not valid."),
    403: ("The account is banned or inactive, or this action is not allowed to it.", "user_banned",
          "This account is banned."),
    404: ("Not found. Another user's document is reported exactly like a missing one.", "document_not_found",
          "Document not found."),
    409: ("The document cannot be asked about yet (still processing) or failed to process; or there is no "
          "processed document to ask about.", "document_not_ready",
          "The document is still being processed; try again in a moment."),
    413: ("The file is larger than your tier accepts.", "file_too_large",
          "The file is larger than the 20 MiB your tier accepts."),
    415: ("The file type is not supported (it is sniffed from the bytes, not taken from the name).",
          "unsupported_file_type", "This file type is not supported."),
    422: ("The request is not valid; `errors` lists each problem for a malformed request.", "invalid_input",
          "The request is not valid."),
    429: ("Your tier's questions for a window are used up: retry after `Retry-After` seconds.", "rate_limited",
          "You have used all 10 questions of this minute; more at 09:16 UTC."),
    503: ("A service the request needs (the language model, the request counter) is not answering; "
          "try again shortly.", "service_unavailable",
          "The language model is not answering right now; please try again in a minute."),
}
RATE_LIMIT_HEADERS: dict[str, dict[str, Any]] = {
    "RateLimit-Limit": {"description": "Questions allowed in the tightest window.", "schema": {"type": "integer"}},
    "RateLimit-Remaining": {"description": "Questions left in that window.", "schema": {"type": "integer"}},
    "RateLimit-Reset": {"description": "Seconds until that window resets.", "schema": {"type": "integer"}},
    "RateLimit-Policy": {"description": "Every window: `10;w=60, 100;w=3600, 500;w=86400`.",
                         "schema": {"type": "string"}},
}


def PROBLEM_RESPONSES(*statuses: int) -> dict[int | str, dict[str, Any]]:  # noqa: N802 - reads as a constant
    """OpenAPI entries for error responses, all application/problem+json (400 always: a malformed request),
    each with what it means and an example (entrypoints.api.problems moves the Problem schema from
    application/json, where FastAPI puts a response model, to application/problem+json)."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in sorted({400, *statuses}):
        meaning, code, detail = PROBLEM_CASES[status]
        responses[status] = {"model": Problem, "description": meaning,
                             "content": {PROBLEM_JSON: {"example": problem_body(status, code, detail)}}}
    if 429 in responses:
        responses[429]["headers"] = {"Retry-After": {"description": "Seconds until a question is admitted again.",
                                                     "schema": {"type": "integer"}}, **RATE_LIMIT_HEADERS}
    if 401 in responses:
        responses[401]["headers"] = {"WWW-Authenticate": {"description": "`Bearer`, with `error=\"invalid_token\"` "
                                                          "when a credential was sent.", "schema": {"type": "string"}}}
    return responses


class HealthOut(BaseModel):
    model_config = example({"status": "ok"})

    status: str


class ReadinessOut(BaseModel):
    model_config = example({"status": "ready", "checks": {"database": "ok", "redis": "ok"}},
                           {"status": "unavailable",
                            "checks": {"database": "ok", "redis": "unavailable (TimeoutError)"}})

    status: str = Field(..., description="`ready`, or `unavailable` (with status 503).")
    checks: dict[str, str] = Field(..., description="Each dependency and what its probe said.")


class UserOut(BaseModel):
    model_config = example(EXAMPLE_USER)

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
