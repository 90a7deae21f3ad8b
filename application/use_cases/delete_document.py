"""Delete one of the user's documents: its record, chunks, conversations, stored file and cached answers."""

from __future__ import annotations

import uuid
from datetime import datetime

import attrs
import structlog

from application.answer_cache import forget_documents
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.storage import FileStorage
from application.audit import audit
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, owned_document
from domain.analytics import AnalyticsEvent, AuditAction, EventType
from domain.documents import Document
from domain.users import User

log = structlog.get_logger(__name__)


@attrs.define
class DeleteDocument:
    uow: UnitOfWork
    storage: FileStorage
    clock: Clock
    cache: Cache | None = None  # drops the deleted documents' cached answers

    def __call__(self, user_id: uuid.UUID, document_id: uuid.UUID) -> Document:
        """Return the deleted document (as it stood), e.g. for its name in a reply."""
        with self.uow as uow:
            user = active_user(uow, user_id)
            document = owned_document(uow, user, document_id)
            remove_document(uow, user, document, self.clock.now())
            audit(uow, AuditAction.DOCUMENT_DELETED, actor_id=user.id, target=str(document.id), at=self.clock.now(),
                  filename=document.filename)
            uow.commit()
        discard_blobs(self.storage, document.blob_keys())
        if self.cache is not None:
            forget_documents(self.cache, [document.id], owner_id=user.id)
        return document


def remove_document(uow: UnitOfWork, user: User, document: Document, now: datetime) -> None:
    """Delete a document inside an open unit of work (shared with ClearDocuments)."""
    if user.active_document_id == document.id:
        user.active_document_id, user.updated_at = None, now
        uow.users.update(user)
    uow.documents.delete(document.id)
    uow.events.add(AnalyticsEvent(user_id=user.id, type=EventType.DOCUMENT_DELETED,
                                  data={"kind": document.kind.value}, created_at=now))


def discard_blobs(storage: FileStorage, keys: list[str]) -> None:
    """After commit: a blob that cannot be removed is logged, never an error for the user."""
    for key in keys:
        try:
            storage.delete(key)
        except Exception:
            log.exception("blob_delete_failed", storage_key=key)
