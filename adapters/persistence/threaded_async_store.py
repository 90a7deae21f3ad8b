"""QuestionStore and DocumentPages over any unit of work (the embedded SQLite profile): each call
runs the repositories in a worker thread."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import anyio.to_thread

from application.ports.unit_of_work import UnitOfWork
from domain.analytics import AnalyticsEvent
from domain.conversations import Conversation
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.users import User


class ThreadedAsyncStore:
    """Implements application.ports.question_store.QuestionStore and
    application.ports.document_pages.DocumentPages."""

    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow

    async def start(self) -> None:
        """Nothing to open."""

    async def close(self) -> None:
        """Nothing to close."""

    async def asker_and_documents(self, user_id: uuid.UUID, document_ids: Sequence[uuid.UUID],
                                  ) -> tuple[User | None, list[Document]]:
        return await anyio.to_thread.run_sync(self._read, user_id, list(document_ids))

    async def record(self, conversation: Conversation | None, event: AnalyticsEvent) -> None:
        await anyio.to_thread.run_sync(self._write, conversation, event)

    async def owner_and_page(self, user_id: uuid.UUID, *, status: DocumentStatus | None = None,
                             kind: DocumentKind | None = None, limit: int = 50,
                             before: tuple[datetime, uuid.UUID] | None = None,
                             filename_contains: str | None = None,
                             ) -> tuple[User | None, list[Document]]:
        return await anyio.to_thread.run_sync(functools.partial(
            self._page, user_id, status=status, kind=kind, limit=limit, before=before,
            filename_contains=filename_contains))

    def _page(self, user_id: uuid.UUID, **page: Any) -> tuple[User | None, list[Document]]:
        with self._uow() as uow:
            user = uow.users.get(user_id)
            return (None, []) if user is None else (user, uow.documents.list_for_owner(user_id, **page))

    def _read(self, user_id: uuid.UUID, document_ids: list[uuid.UUID]) -> tuple[User | None, list[Document]]:
        with self._uow() as uow:
            user = uow.users.get(user_id)
            if user is None:
                return None, []
            return user, [d for d in map(uow.documents.get, document_ids) if d is not None]

    def _write(self, conversation: Conversation | None, event: AnalyticsEvent) -> None:
        with self._uow() as uow:
            if conversation is not None:
                uow.conversations.add(conversation)
            uow.events.add(event)
            uow.commit()
