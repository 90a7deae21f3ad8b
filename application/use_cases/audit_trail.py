"""Read the audit log (administrators only): entries newest first, filtered by actor, action,
target and time, one keyset page at a time (the last entry's created_at and id name the next).
A period that ends before it starts is an empty page, not an error: every request the API's schema
admits is answered."""

from __future__ import annotations

import uuid
from datetime import datetime

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import admin_user
from domain.analytics import AuditEntry, AuditFilter
from domain.errors import InvalidInput

MAX_PAGE = 200


@attrs.frozen
class AuditPage:
    entries: list[AuditEntry]
    next_position: tuple[datetime, uuid.UUID] | None  # None: this was the last page


@attrs.define
class AuditTrail:
    uow: UnitOfWork

    def __call__(self, actor_id: uuid.UUID, where: AuditFilter, *, after: tuple[datetime, uuid.UUID] | None = None,
                 limit: int = 50) -> AuditPage:
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}.", limit=limit)
        with self.uow as uow:
            admin_user(uow, actor_id)
            entries = uow.audit.page(where, after=after, limit=limit + 1)  # one more: is there a next page?
        more, entries = len(entries) > limit, entries[:limit]
        return AuditPage(entries=entries, next_position=(entries[-1].created_at, entries[-1].id) if more else None)
