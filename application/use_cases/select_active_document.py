"""Choose the document that questions are about by default."""

from __future__ import annotations

import uuid

import attrs

from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, owned_document
from domain.documents import Document


@attrs.define
class SelectActiveDocument:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, user_id: uuid.UUID, document_id: uuid.UUID) -> Document:
        with self.uow as uow:
            user = active_user(uow, user_id)
            document = owned_document(uow, user, document_id)
            user.active_document_id, user.updated_at = document.id, self.clock.now()
            uow.users.update(user)
            uow.commit()
            return document
