"""Repositories: persistence of each aggregate, reached only through a unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.analytics import AnalyticsEvent, AuditEntry, AuditFilter
from domain.api_keys import ApiKey
from domain.chunks import Chunk
from domain.conversations import Conversation, DailyUsage, PeriodUsage
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.users import User


class DuplicateRecord(Exception):
    """A unique key (a user's email or Telegram id) is already taken. The unit of work stays usable."""


class UserRepository(Protocol):
    def add(self, user: User) -> None:
        """Raise DuplicateRecord when the email or Telegram id is taken."""
        ...
    def update(self, user: User) -> None: ...
    def get(self, user_id: uuid.UUID) -> User | None: ...
    def lock(self, user_id: uuid.UUID) -> None:
        """Hold the user's row until the unit of work ends: another unit of work locking it waits.
        Serialises a user's check-then-write sequences (the document quota of concurrent uploads)."""
        ...
    def get_by_email(self, email: str) -> User | None: ...
    def get_by_telegram_id(self, telegram_id: int) -> User | None: ...
    def list(self, *, limit: int = 100, offset: int = 0, email_contains: str | None = None) -> list[User]:
        """Oldest first; ``email_contains``: only users whose email contains it (case-insensitive,
        ``%`` and ``_`` taken literally)."""
        ...


class DocumentRepository(Protocol):
    def add(self, document: Document) -> None: ...
    def update(self, document: Document) -> None: ...
    def update_if_status(self, document: Document, expected: DocumentStatus) -> bool:
        """Store the document only if its stored status is still ``expected`` (checked and written
        atomically: of two concurrent callers at most one succeeds); False when nothing was stored."""
        ...
    def get(self, document_id: uuid.UUID) -> Document | None:
        """The document without its extracted text (every read leaves ``extracted_text`` None)."""
        ...
    def extracted_text(self, document_id: uuid.UUID) -> str | None:
        """The normalised text the document was chunked from (None until it is completed)."""
        ...
    def get_by_sha256(self, owner_id: uuid.UUID, sha256: str) -> Document | None: ...
    def list_for_owner(
        self,
        owner_id: uuid.UUID,
        *,
        status: DocumentStatus | None = None,
        kind: DocumentKind | None = None,
        limit: int = 50,
        before: tuple[datetime, uuid.UUID] | None = None,
        filename_contains: str | None = None,
    ) -> list[Document]:
        """Newest first; ``before`` is a (created_at, id) cursor; ``filename_contains``: only the
        documents whose filename contains it, case-insensitively (``%`` and ``_`` taken literally)."""
        ...
    def count_for_owner(self, owner_id: uuid.UUID, *, include_failed: bool = True) -> int:
        """The owner's documents; ``include_failed=False``: those that did not fail (what the
        tier's document quota counts)."""
        ...
    def counts_by_kind_and_status(
        self, owner_id: uuid.UUID | None
    ) -> dict[tuple[DocumentKind, DocumentStatus], int]:
        """How many documents of each (kind, status) pair exist now; ``owner_id`` None: everyone's.
        Pairs without documents are absent."""
        ...
    def list_by_status(self, statuses: Sequence[DocumentStatus], *, updated_before: datetime) -> list[Document]: ...
    def delete(self, document_id: uuid.UUID) -> None: ...


class ChunkRepository(Protocol):
    def replace(self, document_id: uuid.UUID, chunks: Sequence[Chunk]) -> None:
        """Replace all of a document's chunks (re-processing never duplicates them)."""
        ...
    def list_for_document(self, document_id: uuid.UUID) -> list[Chunk]: ...
    def page_for_document(self, document_id: uuid.UUID, *, after: int | None = None, limit: int,
                          max_bytes: int) -> tuple[list[Chunk], bool]:
        """One page of the document's chunks in order, read alone: those with an ordinal above
        ``after``, at most ``limit``, and no more than fit ``max_bytes`` of UTF-8 text together (the
        first always comes, however large); and whether chunks follow the page."""
        ...
    def list_for_documents(self, document_ids: Sequence[uuid.UUID]) -> list[Chunk]:
        """The chunks of several documents in one read: the documents in the order given, each
        one's chunks in order (unknown ids contribute nothing)."""
        ...
    def get_many(self, keys: Sequence[tuple[uuid.UUID, int]]) -> list[Chunk]:
        """The chunks named by (document id, ordinal), in the order of ``keys`` (missing ones left out)."""
        ...
    def count_for_document(self, document_id: uuid.UUID) -> int: ...


class ConversationRepository(Protocol):
    def add(self, conversation: Conversation) -> None: ...
    def get(self, conversation_id: uuid.UUID) -> Conversation | None: ...
    def list_for_user(self, user_id: uuid.UUID, *, limit: int = 50) -> list[Conversation]: ...
    def usage_by_day(self, user_id: uuid.UUID | None, *, since: datetime) -> list[DailyUsage]:
        """Questions, tokens and cost per UTC day from ``since`` (inclusive), oldest day first;
        ``user_id`` None: everyone's questions."""
        ...
    def usage_report(self, user_id: uuid.UUID | None, *, since: datetime, count_users: bool = False) -> PeriodUsage:
        """From ``since`` (inclusive): the days with questions (as usage_by_day), the latency
        histogram (counts by domain.latency bucket index, absent: 0) and, with ``count_users``
        (everyone's only: ValueError with a ``user_id``), how many distinct users asked;
        ``user_id`` None: everyone's."""
        ...


class AnalyticsRepository(Protocol):
    def add(self, event: AnalyticsEvent) -> None: ...
    def list_for_user(self, user_id: uuid.UUID, *, since: datetime | None = None) -> list[AnalyticsEvent]: ...


class AuditLog(Protocol):
    """Append-only: entries are added and read, never changed or deleted (there is no method for
    it, and on PostgreSQL a trigger refuses UPDATE and DELETE)."""

    def add(self, entry: AuditEntry) -> None:
        """Append ``entry``; without an origin of its own it gets the current request's."""
        ...
    def list(self, *, limit: int = 100) -> list[AuditEntry]: ...
    def page(self, where: AuditFilter, *, after: tuple[datetime, uuid.UUID] | None = None,
             limit: int = 50) -> list[AuditEntry]:
        """Entries matching ``where``, newest first (by created_at, then id), strictly after the
        position ``after`` (the last entry of the previous page)."""
        ...


class ApiKeyRepository(Protocol):
    """API keys, found by the digest of their secret. Revoking and touching write one column each,
    so a request recording its use can never undo a revocation committed meanwhile."""

    def add(self, api_key: ApiKey) -> None: ...
    def get(self, key_id: uuid.UUID) -> ApiKey | None: ...
    def get_by_hash(self, key_hash: str) -> ApiKey | None: ...
    def list_for_user(self, user_id: uuid.UUID) -> list[ApiKey]:
        """Newest first, revoked keys included."""
        ...
    def revoke(self, key_id: uuid.UUID, *, at: datetime) -> None:
        """Set revoked_at unless the key is already revoked (the first revocation time stays)."""
        ...
    def touch(self, key_id: uuid.UUID, *, at: datetime) -> None:
        """Set last_used_at."""
        ...
