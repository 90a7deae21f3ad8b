"""The unit of work: one transaction over every repository; rolls back unless committed."""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Protocol, Self

from application.errors import TransientError
from application.ports.accounts import AccountMerge
from application.ports.repositories import (
    AnalyticsRepository,
    ApiKeyRepository,
    AuditLog,
    ChunkRepository,
    ConversationRepository,
    DocumentRepository,
    UserRepository,
)
from application.ports.search_index import SearchIndex
from application.ports.sessions import SessionRepository
from application.ports.threads import ThreadRepository
from domain.errors import ServiceUnavailable


class DatabaseUnavailable(TransientError, ServiceUnavailable):
    """The database cannot be reached: a request answers 503, a job is retried (its document is
    not failed for it)."""


class UnitOfWork(Protocol):
    users: UserRepository
    documents: DocumentRepository
    chunks: ChunkRepository
    conversations: ConversationRepository
    events: AnalyticsRepository
    audit: AuditLog
    api_keys: ApiKeyRepository
    sessions: SessionRepository
    threads: ThreadRepository
    search: SearchIndex
    accounts: AccountMerge

    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def act_for(self, user_id: uuid.UUID) -> None:
        """The rest of the block acts for this user: on PostgreSQL with row-level security the
        database itself then hides every other user's documents, chunks, index rows, conversations
        and threads (defence in depth behind the use cases' own checks; a no-op elsewhere)."""
        ...
    def act_as_admin(self) -> None:
        """The rest of the block may see every user's rows (after the use case checked the role)."""
        ...
