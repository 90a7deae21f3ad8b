"""A page of a user's documents with the user, in one read awaited on the event loop (the API's
documents list, its busiest route)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from domain.documents import Document, DocumentKind, DocumentStatus
from domain.users import User


class DocumentPages(Protocol):
    async def owner_and_page(self, user_id: uuid.UUID, *, status: DocumentStatus | None = None,
                             kind: DocumentKind | None = None, limit: int = 50,
                             before: tuple[datetime, uuid.UUID] | None = None,
                             filename_contains: str | None = None,
                             ) -> tuple[User | None, list[Document]]:
        """The user (None when unknown) and up to ``limit`` of their documents, newest first, as
        DocumentRepository.list_for_owner gives them; one read."""
        ...
