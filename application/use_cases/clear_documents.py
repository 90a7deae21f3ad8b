"""Delete all of a user's documents."""

from __future__ import annotations

import uuid

import attrs

from application.answer_cache import forget_documents
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.storage import FileStorage
from application.audit import audit
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from application.use_cases.delete_document import discard_blobs, remove_document
from domain.analytics import AuditAction


@attrs.define
class ClearDocuments:
    uow: UnitOfWork
    storage: FileStorage
    clock: Clock
    cache: Cache | None = None  # drops the deleted documents' cached answers

    def __call__(self, user_id: uuid.UUID) -> int:
        """Return how many documents were deleted."""
        keys: list[str] = []
        ids: list[uuid.UUID] = []
        with self.uow as uow:
            user = active_user(uow, user_id)
            now = self.clock.now()
            while batch := uow.documents.list_for_owner(user.id, limit=200):
                for document in batch:
                    remove_document(uow, user, document, now)
                    keys.extend(document.blob_keys())
                    ids.append(document.id)
            audit(uow, AuditAction.DOCUMENTS_CLEARED, actor_id=user.id, target=str(user.id), at=now, documents=len(ids))
            uow.commit()
        discard_blobs(self.storage, keys)
        if self.cache is not None:
            forget_documents(self.cache, ids, owner_id=user.id)
        return len(keys)
