"""Analytics events and the audit trail of administrative actions."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs


class EventType(StrEnum):
    USER_REGISTERED = "user_registered"
    DOCUMENT_UPLOADED = "document_uploaded"
    DOCUMENT_PROCESSED = "document_processed"
    DOCUMENT_FAILED = "document_failed"
    DOCUMENT_DELETED = "document_deleted"
    QUESTION_ANSWERED = "question_answered"
    RATE_LIMITED = "rate_limited"


@attrs.frozen(kw_only=True)
class AnalyticsEvent:
    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    user_id: uuid.UUID | None
    type: EventType
    data: dict[str, Any] = attrs.field(factory=dict)
    created_at: datetime


@attrs.frozen(kw_only=True)
class AuditEntry:
    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    actor_id: uuid.UUID | None
    action: str
    target: str
    data: dict[str, Any] = attrs.field(factory=dict)
    created_at: datetime
