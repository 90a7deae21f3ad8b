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
    """One sensitive operation: who (``actor_id``, None for an anonymous attempt or the system),
    what (``action``, one of AuditAction's values), on what (``target``: an id, an email, a scope),
    when, and from where (``client_address`` and ``request_id``, left None by the use cases and
    filled by the audit log from the request context when there is one). Entries are only ever
    appended: nothing in the application changes or deletes one."""

    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    actor_id: uuid.UUID | None
    action: str
    target: str
    data: dict[str, Any] = attrs.field(factory=dict)
    created_at: datetime
    client_address: str | None = None
    request_id: str | None = None


class AuditAction(StrEnum):
    """The actions the application appends (older entries may carry others)."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    TOKEN_REFRESHED = "token_refreshed"
    SESSION_ENDED = "session_ended"  # logout, reuse of a refresh token, password change
    PASSWORD_CHANGED = "password_changed"
    API_KEY_CREATED = "api_key_created"
    API_KEY_REVOKED = "api_key_revoked"
    SET_TIER = "set_tier"
    SET_STATUS = "set_status"  # ban, unban, deactivate
    DOCUMENT_DELETED = "document_deleted"
    DOCUMENTS_CLEARED = "documents_cleared"
    EXPORT = "export"
    GLOBAL_ANALYTICS_READ = "global_analytics_read"
    RETENTION_RUN = "retention_run"
    TELEGRAM_LINKED = "telegram_linked"  # a Telegram account merged into a web account


@attrs.frozen(kw_only=True)
class AuditFilter:
    """What an administrator asks of the audit log; every field None means "any". ``since`` is
    inclusive, ``until`` exclusive."""

    actor_id: uuid.UUID | None = None
    action: str | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None
