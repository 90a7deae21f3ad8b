"""A user's real-time events: what a WebSocket client (the dashboard, an API client) is told as it
happens. Small values built from what the database already holds; the database stays the truth
(a client that missed events reads the state again), so events are best effort.

Each serialises to a JSON object whose ``type`` is the event's name. ``user_id`` names whose event
it is while it travels between processes; ``as_dict(for_client=True)`` leaves it out, because the
socket it is sent on is already that user's."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

import attrs

from domain.documents import Document


@attrs.frozen(kw_only=True)
class DocumentProgress:
    """A document waiting (``pending``, 0 of 0) or being read (``processing``, pages or parts done)."""

    type: ClassVar[str] = "document.progress"
    user_id: uuid.UUID
    document_id: uuid.UUID
    status: str
    progress_done: int
    progress_total: int

    @classmethod
    def of(cls, document: Document) -> DocumentProgress:
        return cls(user_id=document.owner_id, document_id=document.id, status=document.status.value,
                   progress_done=document.progress_done, progress_total=document.progress_total)


@attrs.frozen(kw_only=True)
class DocumentCompleted:
    """A document is ready for questions."""

    type: ClassVar[str] = "document.completed"
    user_id: uuid.UUID
    document_id: uuid.UUID
    status: str
    filename: str
    kind: str
    page_count: int | None
    chunks: int
    notes: str | None = None  # what to know about the text (pages not read ...), as the document holds it

    @classmethod
    def of(cls, document: Document, *, chunks: int) -> DocumentCompleted:
        return cls(user_id=document.owner_id, document_id=document.id, status=document.status.value,
                   filename=document.filename, kind=document.kind.value, page_count=document.page_count,
                   chunks=chunks, notes=document.notes)


@attrs.frozen(kw_only=True)
class DocumentFailed:
    """A document could not be processed: the error code and the plain-words message the API's
    document (``error_code``, ``error_message``) shows."""

    type: ClassVar[str] = "document.failed"
    user_id: uuid.UUID
    document_id: uuid.UUID
    status: str
    filename: str
    error_code: str | None
    error_message: str | None

    @classmethod
    def of(cls, document: Document) -> DocumentFailed:
        return cls(user_id=document.owner_id, document_id=document.id, status=document.status.value,
                   filename=document.filename, error_code=document.error_code, error_message=document.error_message)


@attrs.frozen(kw_only=True)
class QuotaWindow:
    """One limited window of questions, as GET /api/v1/usage shows it."""

    window: str  # minute | hour | day
    limit: int
    used: int
    reset_at: datetime

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


@attrs.frozen(kw_only=True)
class QuotaChanged:
    """A question was answered: the user's questions used and left per window after it (unlimited
    windows are absent, as in the usage report)."""

    type: ClassVar[str] = "quota.changed"
    user_id: uuid.UUID
    tier: str
    windows: tuple[QuotaWindow, ...]


UserEvent = DocumentProgress | DocumentCompleted | DocumentFailed | QuotaChanged
EVENT_TYPES: dict[str, type[UserEvent]] = {cls.type: cls for cls in
                                           (DocumentProgress, DocumentCompleted, DocumentFailed, QuotaChanged)}


def is_droppable(event: UserEvent) -> bool:
    """Whether a later event makes this one redundant (progress, quota): a slow client loses these
    first. A completion or a failure is said once and never dropped."""
    return isinstance(event, DocumentProgress | QuotaChanged)


def as_dict(event: UserEvent, *, for_client: bool = False) -> dict[str, Any]:
    """The event as a JSON-ready object: ``type`` first, ids and times as strings."""
    data: dict[str, Any] = {"type": event.type}
    for field in attrs.fields(type(event)):
        if field.name == "user_id" and for_client:
            continue
        value = getattr(event, field.name)
        if field.name == "windows":
            value = [{"window": w.window, "limit": w.limit, "used": w.used, "remaining": w.remaining,
                      "reset_at": w.reset_at.isoformat()} for w in value]
        elif isinstance(value, uuid.UUID):
            value = str(value)
        data[field.name] = value
    return data


def from_dict(data: dict[str, Any]) -> UserEvent:
    """The event ``as_dict`` (with its ``user_id``) wrote; ValueError when it is not one."""
    try:
        cls = EVENT_TYPES[data["type"]]
        values = {field.name: data[field.name] for field in attrs.fields(cls) if field.name in data}
        values["user_id"] = uuid.UUID(values["user_id"])
        if "document_id" in values:
            values["document_id"] = uuid.UUID(values["document_id"])
        if cls is QuotaChanged:
            values["windows"] = tuple(QuotaWindow(window=w["window"], limit=w["limit"], used=w["used"],
                                                  reset_at=datetime.fromisoformat(w["reset_at"]))
                                      for w in values["windows"])
        return cls(**values)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"not a user event: {error!r}") from None
