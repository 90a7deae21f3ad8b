"""Appending to the audit log from a use case: one call, inside the use case's own unit of work,
so an entry is committed with the change it records (and is not, when the change is rolled back).
The audit log stamps each entry with the request's origin (application.ports.request_context)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from application.ports.unit_of_work import UnitOfWork
from domain.analytics import AuditAction, AuditEntry


def audit(uow: UnitOfWork, action: AuditAction, *, actor_id: uuid.UUID | None, target: str, at: datetime,
          **data: Any) -> None:
    uow.audit.add(AuditEntry(actor_id=actor_id, action=action.value, target=target, data=data, created_at=at))
