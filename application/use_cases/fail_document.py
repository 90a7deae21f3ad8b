"""Give up on a document: mark it failed with a reason the user can read, and tell its owner.

Used when a background job ran out of retries (a service stayed unavailable) or was stopped by
its time limit. A document that completed meanwhile is left alone."""

from __future__ import annotations

import uuid
from datetime import datetime

import attrs
import structlog

from application.ports.clock import Clock
from application.ports.events import EventPublisher
from application.ports.notifier import Notifier
from application.ports.unit_of_work import UnitOfWork
from application.publishing import publish
from domain.analytics import AnalyticsEvent, EventType
from domain.documents import Document, DocumentStatus
from domain.events import DocumentFailed
from domain.users import User

log = structlog.get_logger(__name__)

GAVE_UP_CODE = "service_unavailable"
GAVE_UP_MESSAGE = ("A service needed to process this document stayed unavailable after several attempts; "
                   "please upload it again later.")


@attrs.define
class FailDocument:
    uow: UnitOfWork
    notifier: Notifier
    clock: Clock
    events: EventPublisher | None = None  # the failure is published after its commit

    def __call__(self, document_id: uuid.UUID, *, code: str = GAVE_UP_CODE,
                 message: str = GAVE_UP_MESSAGE) -> Document | None:
        """The failed document; None when it is gone, unchanged when it already completed."""
        with self.uow as uow:
            document = uow.documents.get(document_id)
            if document is None or document.status is DocumentStatus.COMPLETED:
                return document
            mark_failed(uow, document, code=code, message=message, now=self.clock.now())
            uow.commit()
            owner, active = owner_and_active_document(uow, document.owner_id)
        log.warning("document_given_up", document_id=str(document_id), code=code)
        publish(self.events, DocumentFailed.of(document))
        if owner is not None:
            try:
                self.notifier.document_failed(owner, document, active=active)
            except Exception:  # a notification never undoes the outcome
                log.exception("notify_failed", document_id=str(document_id))
        return document


def mark_failed(uow: UnitOfWork, document: Document, *, code: str, message: str, now: datetime) -> None:
    """Record a document's failure and its analytics event inside an open unit of work. When it was
    its owner's active document (an upload becomes active at once), the owner's newest completed
    document becomes active again: the next question goes to a document that can answer it."""
    document.fail(code=code, message=message, now=now)
    uow.documents.update(document)
    owner = uow.users.get(document.owner_id)
    if owner is not None and owner.active_document_id == document.id:
        ready = uow.documents.list_for_owner(owner.id, status=DocumentStatus.COMPLETED, limit=1)
        owner.active_document_id, owner.updated_at = (ready[0].id if ready else None), now
        uow.users.update(owner)
    uow.events.add(AnalyticsEvent(user_id=document.owner_id, type=EventType.DOCUMENT_FAILED,
                                  data={"kind": document.kind.value, "code": code}, created_at=now))


def owner_and_active_document(uow: UnitOfWork, owner_id: uuid.UUID) -> tuple[User | None, Document | None]:
    """The owner as stored now, and the document active for them (what a failure notice names)."""
    owner = uow.users.get(owner_id)
    active = uow.documents.get(owner.active_document_id) if owner and owner.active_document_id else None
    return owner, active
