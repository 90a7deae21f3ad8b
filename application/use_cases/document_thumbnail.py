"""A small picture of a document's first page (PDFs and images), for lists and previews."""

from __future__ import annotations

import uuid

import attrs

from application.ports.storage import FileStorage
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, owned_document
from domain.errors import ThumbnailNotFound

THUMBNAIL_TYPE = "image/jpeg"


@attrs.define
class DocumentThumbnail:
    uow: UnitOfWork
    storage: FileStorage

    def __call__(self, user_id: uuid.UUID, document_id: uuid.UUID) -> bytes:
        """The JPEG; DocumentNotFound for another user's document, ThumbnailNotFound when it has
        none (a kind without pages, not processed yet, or made before thumbnails existed)."""
        with self.uow as uow:
            document = owned_document(uow, active_user(uow, user_id), document_id)
        if document.thumbnail_key is None:
            raise ThumbnailNotFound("This document has no thumbnail (only processed PDFs and images have one).",
                                    document_id=str(document.id))
        try:
            return self.storage.get(document.thumbnail_key)
        except (FileNotFoundError, KeyError):
            raise ThumbnailNotFound("This document's thumbnail is missing.", document_id=str(document.id)) from None
