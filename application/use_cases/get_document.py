"""One of the user's documents, with its status, progress and error."""

from __future__ import annotations

import uuid

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, owned_document
from domain.chunks import Chunk
from domain.documents import Document


@attrs.define
class GetDocument:
    uow: UnitOfWork

    def __call__(self, user_id: uuid.UUID, document_id: uuid.UUID) -> Document:
        with self.uow as uow:
            return owned_document(uow, active_user(uow, user_id), document_id)

    def chunks(self, user_id: uuid.UUID, document_id: uuid.UUID) -> list[Chunk]:
        with self.uow as uow:
            document = owned_document(uow, active_user(uow, user_id), document_id)
            return uow.chunks.list_for_document(document.id)
