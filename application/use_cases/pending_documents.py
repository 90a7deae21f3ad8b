"""The state a real-time client starts from: each of the user's documents still waiting or being
processed, as the ``document.progress`` event that would describe it now. A socket sends these
first on connect (and so on every reconnect), then the live events."""

from __future__ import annotations

import uuid

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from domain.documents import DocumentStatus
from domain.events import DocumentProgress

MAX_PENDING = 500  # per status: far beyond any tier's documents in flight


@attrs.define
class PendingDocuments:
    uow: UnitOfWork

    def __call__(self, user_id: uuid.UUID) -> list[DocumentProgress]:
        """Oldest first (the order they were queued in). Refuses a banned or inactive user like
        every use case (UserBanned, UserInactive; UserNotFound for a user deleted meanwhile)."""
        with self.uow as uow:
            user = active_user(uow, user_id)
            documents = [d for status in (DocumentStatus.PENDING, DocumentStatus.PROCESSING)
                         for d in uow.documents.list_for_owner(user.id, status=status, limit=MAX_PENDING)]
        documents.sort(key=lambda d: (d.created_at, str(d.id)))
        return [DocumentProgress.of(d) for d in documents]
