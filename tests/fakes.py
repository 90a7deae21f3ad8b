"""In-memory fakes of the ports. The repositories and unit of work are checked by the same
contract tests as the SQLAlchemy ones (tests/contract), so they cannot drift from the real thing."""

from __future__ import annotations

import copy
import math
import struct
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import attrs

from application.ports.accounts import MovedBelongings
from application.ports.attempts import AttemptDecision, AttemptLimit
from application.ports.extractor import Budget, Extraction, ProgressCallback
from application.ports.job_queue import JobQueueUnavailable
from application.ports.embedder import Embeddings
from application.ports.repositories import DuplicateRecord
from application.ports.search_index import DocumentIndex, IndexState, SearchHit
from application.ports.language_model import AnswerRequest, Completion, CompletionDelta
from domain.analytics import AnalyticsEvent, AuditEntry, AuditFilter
from domain.api_keys import ApiKey
from domain.chunks import Chunk, Segment
from domain.conversations import Conversation, DailyUsage, PeriodUsage, daily_usage
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.errors import PasswordRequired, UnsupportedFileType
from domain import latency
from domain.locators import Locator
from domain.sessions import RevocationReason, Session
from domain.threads import Thread
from domain.tiers import QueuePriority
from domain.users import User


@attrs.define
class _Store:
    users: dict[uuid.UUID, User] = attrs.Factory(dict)
    documents: dict[uuid.UUID, Document] = attrs.Factory(dict)
    chunks: dict[uuid.UUID, list[Chunk]] = attrs.Factory(dict)
    conversations: list[Conversation] = attrs.Factory(list)
    events: list[AnalyticsEvent] = attrs.Factory(list)
    audit: list[AuditEntry] = attrs.Factory(list)
    api_keys: dict[uuid.UUID, ApiKey] = attrs.Factory(dict)
    sessions: dict[uuid.UUID, Session] = attrs.Factory(dict)
    threads: dict[uuid.UUID, Thread] = attrs.Factory(dict)
    search: dict[uuid.UUID, DocumentIndex] = attrs.Factory(dict)


class _Repo:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _s(self) -> _Store:
        assert self._uow.working is not None, "repository used outside its unit of work"
        return self._uow.working


class FakeUserRepository(_Repo):
    def add(self, user: User) -> None:
        s = self._s
        for other in s.users.values():
            if (user.email and other.email == user.email) or (
                user.telegram_id is not None and other.telegram_id == user.telegram_id
            ):
                raise DuplicateRecord("duplicate user")
        s.users[user.id] = copy.deepcopy(user)

    def update(self, user: User) -> None:
        self._s.users[user.id] = copy.deepcopy(user)

    def get(self, user_id: uuid.UUID) -> User | None:
        return copy.deepcopy(self._s.users.get(user_id))

    def lock(self, user_id: uuid.UUID) -> None:
        """Nothing to do: the fake runs one unit of work at a time."""

    def get_by_email(self, email: str) -> User | None:
        return copy.deepcopy(next((u for u in self._s.users.values() if u.email == email), None))

    def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return copy.deepcopy(next((u for u in self._s.users.values() if u.telegram_id == telegram_id), None))

    def list(self, *, limit: int = 100, offset: int = 0, email_contains: str | None = None) -> list[User]:
        users = sorted((u for u in self._s.users.values()
                        if not email_contains or email_contains.lower() in (u.email or "")),
                       key=lambda u: (u.created_at, str(u.id)))
        return copy.deepcopy(users[offset : offset + limit])


class FakeDocumentRepository(_Repo):
    """Like the SQL repository, reads leave ``extracted_text`` out and updates keep the stored text
    unless the document carries a new one."""

    def add(self, document: Document) -> None:
        self._s.documents[document.id] = _in_utc(copy.deepcopy(document))

    def update(self, document: Document) -> None:
        stored = self._s.documents.get(document.id)
        kept = _in_utc(copy.deepcopy(document))
        if kept.extracted_text is None and stored is not None:
            kept.extracted_text = stored.extracted_text
        if stored is not None:  # the owner changes only through AccountMerge, as in the SQL repository
            kept.owner_id = stored.owner_id
        self._s.documents[document.id] = kept

    def update_if_status(self, document: Document, expected: DocumentStatus) -> bool:
        stored = self._s.documents.get(document.id)
        if stored is None or stored.status is not expected:
            return False
        self.update(document)
        return True

    def get(self, document_id: uuid.UUID) -> Document | None:
        return _without_text(self._s.documents.get(document_id))

    def extracted_text(self, document_id: uuid.UUID) -> str | None:
        stored = self._s.documents.get(document_id)
        return stored.extracted_text if stored is not None else None

    def get_by_sha256(self, owner_id: uuid.UUID, sha256: str) -> Document | None:
        found = [d for d in self._s.documents.values() if d.owner_id == owner_id and d.sha256 == sha256]
        return _without_text(max(found, key=_newest, default=None))

    def list_for_owner(self, owner_id, *, status=None, kind=None, limit=50, before=None,  # noqa: ANN001
                       filename_contains=None) -> list[Document]:  # noqa: ANN001
        docs = [
            d for d in self._s.documents.values()
            if d.owner_id == owner_id and (status is None or d.status == status) and (kind is None or d.kind == kind)
            and (before is None or _newest(d) < (before[0], str(before[1])))
            and (not filename_contains or filename_contains.casefold() in d.filename.casefold())
        ]
        return [_without_text(d) for d in sorted(docs, key=_newest, reverse=True)[:limit]]

    def count_for_owner(self, owner_id: uuid.UUID, *, include_failed: bool = True) -> int:
        return sum(1 for d in self._s.documents.values() if d.owner_id == owner_id
                   and (include_failed or d.status is not DocumentStatus.FAILED))

    def counts_by_kind_and_status(
        self, owner_id: uuid.UUID | None
    ) -> dict[tuple[DocumentKind, DocumentStatus], int]:
        counts: dict[tuple[DocumentKind, DocumentStatus], int] = {}
        for d in self._s.documents.values():
            if owner_id is None or d.owner_id == owner_id:
                counts[(d.kind, d.status)] = counts.get((d.kind, d.status), 0) + 1
        return counts

    def list_by_status(self, statuses: Sequence[DocumentStatus], *, updated_before: datetime) -> list[Document]:
        docs = [d for d in self._s.documents.values() if d.status in statuses and d.updated_at < updated_before]
        return [_without_text(d) for d in sorted(docs, key=lambda d: (d.updated_at, str(d.id)))]

    def delete(self, document_id: uuid.UUID) -> None:
        s = self._s
        s.documents.pop(document_id, None)
        s.chunks.pop(document_id, None)
        s.conversations[:] = [c for c in s.conversations if c.document_id != document_id]
        for user in s.users.values():
            if user.active_document_id == document_id:
                user.active_document_id = None


def _in_utc(document: Document) -> Document:
    """The SQL columns are timestamptz: timestamps come back in UTC whatever offset they went in with."""
    document.created_at = document.created_at.astimezone(UTC)
    document.updated_at = document.updated_at.astimezone(UTC)
    return document


def _without_text(document: Document | None) -> Document | None:
    if document is None:
        return None
    found = copy.deepcopy(document)
    found.extracted_text = None
    return found


def _newest(d: Document) -> tuple[datetime, str]:
    return (d.created_at, str(d.id))


class FakeChunkRepository(_Repo):
    def replace(self, document_id: uuid.UUID, chunks: Sequence[Chunk]) -> None:
        self._s.chunks[document_id] = list(chunks)

    def list_for_document(self, document_id: uuid.UUID) -> list[Chunk]:
        return sorted(self._s.chunks.get(document_id, []), key=lambda c: c.ordinal)

    def list_for_documents(self, document_ids: Sequence[uuid.UUID]) -> list[Chunk]:
        return [chunk for document_id in dict.fromkeys(document_ids) for chunk in self.list_for_document(document_id)]

    def page_for_document(self, document_id: uuid.UUID, *, after: int | None = None, limit: int,
                          max_bytes: int) -> tuple[list[Chunk], bool]:
        following = [c for c in self.list_for_document(document_id) if after is None or c.ordinal > after]
        page: list[Chunk] = []
        size = 0
        for chunk in following[:limit]:
            size += len(chunk.text.encode())
            if page and size > max_bytes:
                break
            page.append(chunk)
        return page, len(page) < len(following)

    def get_many(self, keys: Sequence[tuple[uuid.UUID, int]]) -> list[Chunk]:
        by_key = {(c.document_id, c.ordinal): c for d in {k[0] for k in keys} for c in self._s.chunks.get(d, [])}
        return [by_key[key] for key in dict.fromkeys(keys) if key in by_key]

    def count_for_document(self, document_id: uuid.UUID) -> int:
        return len(self._s.chunks.get(document_id, []))


class FakeSearchIndex(_Repo):
    """BM25 (k1 1.2, b 0.75) over the indexed documents' terms, cosines over their vectors (lists
    of floats); a document's rows go with it (the cascade of the real tables)."""

    def replace(self, index: DocumentIndex) -> None:
        self._s.search[index.document_id] = index

    def delete(self, document_id: uuid.UUID) -> None:
        self._s.search.pop(document_id, None)

    def states(self, document_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, IndexState]:
        live = self._live()
        return {d: IndexState(document_id=d, language=live[d].language, analyzer=live[d].analyzer,
                              model=live[d].vectors.model if live[d].vectors else None, tokens=live[d].tokens)
                for d in dict.fromkeys(document_ids) if d in live}

    def lexical(self, document_ids: Sequence[uuid.UUID], terms: Sequence[str], *, limit: int) -> list[SearchHit]:
        live = self._live()
        rows = [(d, c) for d in dict.fromkeys(document_ids) if d in live for c in live[d].chunks]
        wanted = list(dict.fromkeys(t for t in terms if t))[:64]
        if not rows or not wanted or limit <= 0:
            return []
        n, average = len(rows), sum(len(c.terms) for _, c in rows) / len(rows) or 1.0
        def count(t: str, terms: tuple[str, ...]) -> int:
            return sum(1 for x in terms if x.startswith(t[:-1])) if t.endswith("*") else terms.count(t)

        df = {t: sum(1 for _, c in rows if count(t, c.terms)) for t in wanted}
        hits = []
        for d, c in rows:
            score = 0.0
            for t in wanted:
                tf = count(t, c.terms)
                if tf:
                    idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                    score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(c.terms) / average))
            if score > 0:
                hits.append(SearchHit(document_id=d, ordinal=c.ordinal, score=score, boilerplate=c.boilerplate))
        hits.sort(key=lambda h: (-h.score, str(h.document_id), h.ordinal))
        return hits[:limit]

    def dense(self, document_ids: Sequence[uuid.UUID], query: Embeddings, *, limit: int) -> list[SearchHit]:
        live = self._live()
        q = _floats(query)[0] if query.count == 1 else None
        hits = []
        for d in dict.fromkeys(document_ids):
            index = live.get(d)
            if (q is None or index is None or index.vectors is None or index.vectors.model != query.model
                    or index.vectors.dim != query.dim):
                continue
            for c, row in zip(index.chunks, _floats(index.vectors), strict=True):
                hits.append(SearchHit(document_id=d, ordinal=c.ordinal, score=sum(a * b for a, b in zip(row, q, strict=True)),
                                      boilerplate=c.boilerplate))
        hits.sort(key=lambda h: (-h.score, str(h.document_id), h.ordinal))
        return hits[:max(0, limit)]

    def hybrid(self, document_ids: Sequence[uuid.UUID], terms: Sequence[str], query: Embeddings | None, *,
               limit: int) -> tuple[list[SearchHit], list[SearchHit]]:
        return (self.lexical(document_ids, terms, limit=limit),
                self.dense(document_ids, query, limit=limit) if query is not None else [])

    def _live(self) -> dict[uuid.UUID, DocumentIndex]:
        s = self._s
        return {d: index for d, index in s.search.items() if d in s.documents}


def _floats(embeddings: Embeddings) -> list[list[float]]:
    values = struct.unpack(f"<{len(embeddings.data) // 2}e", embeddings.data)
    return [list(values[i:i + embeddings.dim]) for i in range(0, len(values), embeddings.dim)]


class FakeConversationRepository(_Repo):
    def add(self, conversation: Conversation) -> None:
        self._s.conversations.append(copy.deepcopy(conversation))

    def get(self, conversation_id: uuid.UUID) -> Conversation | None:
        return copy.deepcopy(next((c for c in self._s.conversations if c.id == conversation_id), None))

    def list_for_user(self, user_id: uuid.UUID, *, limit: int = 50) -> list[Conversation]:
        mine = [c for c in self._s.conversations if c.user_id == user_id]
        return copy.deepcopy(sorted(mine, key=lambda c: (c.created_at, str(c.id)), reverse=True)[:limit])

    def usage_by_day(self, user_id: uuid.UUID | None, *, since: datetime) -> list[DailyUsage]:
        return daily_usage(self._period(user_id, since))

    def usage_report(self, user_id: uuid.UUID | None, *, since: datetime, count_users: bool = False) -> PeriodUsage:
        if count_users and user_id is not None:
            raise ValueError("distinct users are counted for everyone's questions only")
        period = self._period(user_id, since)
        return PeriodUsage(daily=tuple(daily_usage(period)), latency_histogram=latency.histogram(c.latency_ms for c in period),
                           users=len({c.user_id for c in period}) if count_users else None)

    def _period(self, user_id: uuid.UUID | None, since: datetime) -> list[Conversation]:
        return [c for c in self._s.conversations
                if (user_id is None or c.user_id == user_id) and c.created_at >= since]


class FakeAnalyticsRepository(_Repo):
    def add(self, event: AnalyticsEvent) -> None:
        self._s.events.append(event)

    def list_for_user(self, user_id: uuid.UUID, *, since: datetime | None = None) -> list[AnalyticsEvent]:
        return sorted((e for e in self._s.events if e.user_id == user_id and (since is None or e.created_at >= since)),
                      key=lambda e: e.created_at)


class FakeAuditLog(_Repo):
    def add(self, entry: AuditEntry) -> None:
        self._s.audit.append(entry)

    def list(self, *, limit: int = 100) -> list[AuditEntry]:
        return self.page(AuditFilter(), limit=limit)

    def page(self, where: AuditFilter, *, after: tuple[datetime, uuid.UUID] | None = None,
             limit: int = 50) -> list[AuditEntry]:
        def matches(e: AuditEntry) -> bool:
            return ((where.actor_id is None or e.actor_id == where.actor_id)
                    and (where.action is None or e.action == where.action)
                    and (where.target is None or e.target == where.target)
                    and (where.since is None or e.created_at >= where.since)
                    and (where.until is None or e.created_at < where.until)
                    and (after is None or (e.created_at, e.id) < after))
        return sorted(filter(matches, self._s.audit), key=lambda e: (e.created_at, e.id), reverse=True)[:limit]


class FakeApiKeyRepository(_Repo):
    def add(self, api_key: ApiKey) -> None:
        if any(k.hash == api_key.hash for k in self._s.api_keys.values()):
            raise AssertionError("duplicate API key hash")  # the real table has a unique index
        self._s.api_keys[api_key.id] = copy.deepcopy(api_key)

    def get(self, key_id: uuid.UUID) -> ApiKey | None:
        return copy.deepcopy(self._s.api_keys.get(key_id))

    def get_by_hash(self, key_hash: str) -> ApiKey | None:
        return copy.deepcopy(next((k for k in self._s.api_keys.values() if k.hash == key_hash), None))

    def list_for_user(self, user_id: uuid.UUID) -> list[ApiKey]:
        mine = [k for k in self._s.api_keys.values() if k.user_id == user_id]
        return copy.deepcopy(sorted(mine, key=lambda k: (k.created_at, str(k.id)), reverse=True))

    def revoke(self, key_id: uuid.UUID, *, at: datetime) -> None:
        key = self._s.api_keys.get(key_id)
        if key is not None and key.revoked_at is None:
            key.revoked_at = at

    def touch(self, key_id: uuid.UUID, *, at: datetime) -> None:
        if (key := self._s.api_keys.get(key_id)) is not None:
            key.last_used_at = at


class FakeSessionRepository(_Repo):
    def add(self, session: Session) -> None:
        self._s.sessions[session.id] = copy.deepcopy(session)

    def get(self, session_id: uuid.UUID) -> Session | None:
        return copy.deepcopy(self._s.sessions.get(session_id))

    def rotate(self, session_id: uuid.UUID, *, spent: str, successor: str, at: datetime,
               expires_at: datetime) -> bool:
        session = self._s.sessions.get(session_id)
        if session is None or session.revoked_at is not None or session.refresh_token_id != spent:
            return False
        session.refresh_token_id, session.refreshed_at, session.expires_at = successor, at, expires_at
        return True

    def revoke(self, session_id: uuid.UUID, *, at: datetime, reason: RevocationReason) -> bool:
        session = self._s.sessions.get(session_id)
        if session is None or session.revoked_at is not None:
            return False
        session.revoked_at, session.revoked_reason = at, reason
        return True

    def revoke_for_user(self, user_id: uuid.UUID, *, at: datetime, reason: RevocationReason) -> list[uuid.UUID]:
        return [s.id for s in list(self._s.sessions.values())
                if s.user_id == user_id and self.revoke(s.id, at=at, reason=reason)]

    def list_for_user(self, user_id: uuid.UUID) -> list[Session]:
        mine = [s for s in self._s.sessions.values() if s.user_id == user_id]
        return copy.deepcopy(sorted(mine, key=lambda s: (s.created_at, str(s.id)), reverse=True))


class FakeThreadRepository(_Repo):
    def add(self, thread: Thread) -> None:
        self._s.threads[thread.id] = copy.deepcopy(thread)

    def get(self, thread_id: uuid.UUID) -> Thread | None:
        return copy.deepcopy(self._s.threads.get(thread_id))

    def update(self, thread: Thread) -> None:
        stored = self._s.threads.get(thread.id)
        if stored is not None:
            stored.title, stored.updated_at = thread.title, thread.updated_at

    def delete(self, thread_id: uuid.UUID) -> None:
        self._s.threads.pop(thread_id, None)
        self._s.conversations = [c for c in self._s.conversations if c.thread_id != thread_id]

    def list_for_user(self, user_id: uuid.UUID, *, limit: int = 50,
                      before: tuple[datetime, uuid.UUID] | None = None) -> list[Thread]:
        mine = sorted((t for t in self._s.threads.values() if t.user_id == user_id),
                      key=lambda t: (t.updated_at, t.id), reverse=True)
        if before is not None:
            mine = [t for t in mine if (t.updated_at, t.id) < before]
        return copy.deepcopy(mine[:limit])

    def turn_counts(self, thread_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        return {t: sum(c.thread_id == t for c in self._s.conversations) for t in thread_ids}

    def turns(self, thread_id: uuid.UUID, *, last: int | None = None) -> list[Conversation]:
        mine = sorted((c for c in self._s.conversations if c.thread_id == thread_id), key=lambda c: (c.created_at, c.id))
        return copy.deepcopy(mine[max(0, len(mine) - last):] if last is not None else mine)


class FakeAccountMerge(_Repo):
    def move_belongings(self, source_id: uuid.UUID, target_id: uuid.UUID) -> MovedBelongings:
        s = self._s
        owned = [d for d in s.documents.values() if d.owner_id == source_id]
        for document in owned:
            document.owner_id = target_id
        threads = [t for t in s.threads.values() if t.user_id == source_id]
        for thread in threads:
            thread.user_id = target_id
        conversations = [c for c in s.conversations if c.user_id == source_id]
        for conversation in conversations:
            conversation.user_id = target_id
        events = sum(e.user_id == source_id for e in s.events)
        s.events = [attrs.evolve(e, user_id=target_id) if e.user_id == source_id else e for e in s.events]
        keys = [k for k in s.api_keys.values() if k.user_id == source_id]
        for key in keys:
            key.user_id = target_id
        return MovedBelongings(documents=len(owned), conversations=len(conversations), threads=len(threads),
                               events=events, api_keys=len(keys))

    def delete_account(self, user_id: uuid.UUID) -> None:
        s = self._s
        s.users.pop(user_id, None)
        s.sessions = {k: v for k, v in s.sessions.items() if v.user_id != user_id}  # ON DELETE CASCADE


class FakeUnitOfWork:
    """Works on a copy of the committed store; ``commit`` publishes it, leaving without it discards it."""

    def __init__(self) -> None:
        self.committed_store = _Store()
        self.working: _Store | None = None
        self.commits = 0
        self.acting_for: uuid.UUID | None = None
        self.acting_as_admin = False
        self.users = FakeUserRepository(self)
        self.documents = FakeDocumentRepository(self)
        self.chunks = FakeChunkRepository(self)
        self.conversations = FakeConversationRepository(self)
        self.events = FakeAnalyticsRepository(self)
        self.audit = FakeAuditLog(self)
        self.api_keys = FakeApiKeyRepository(self)
        self.sessions = FakeSessionRepository(self)
        self.threads = FakeThreadRepository(self)
        self.search = FakeSearchIndex(self)
        self.accounts = FakeAccountMerge(self)

    def __enter__(self) -> FakeUnitOfWork:
        self.working = copy.deepcopy(self.committed_store)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.working = None

    def commit(self) -> None:
        assert self.working is not None
        self.committed_store = copy.deepcopy(self.working)
        self.commits += 1

    def rollback(self) -> None:
        self.working = copy.deepcopy(self.committed_store)

    def act_for(self, user_id: uuid.UUID) -> None:
        self.acting_for = user_id  # row-level security is the database's: recorded, not enforced

    def act_as_admin(self) -> None:
        self.acting_as_admin = True


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


class FakeTicks:
    """A hand-moved clock in float seconds, for adapters that take a ``clock: Callable[[], float]``."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class FakeStorage:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, data: bytes) -> str:
        key = uuid.uuid4().hex
        self.blobs[key] = data
        return key

    def get(self, key: str) -> bytes:
        return self.blobs[key]

    def delete(self, key: str) -> None:
        self.blobs.pop(key, None)

    def keys(self) -> Iterator[str]:  # BlobStore (backups, key rotation)
        return iter(list(self.blobs))

    def write(self, key: str, data: bytes) -> None:
        self.blobs[key] = data


class FakeQueue:
    def __init__(self, *, broken: bool = False) -> None:
        self.jobs: list[tuple[uuid.UUID, QueuePriority]] = []
        self.broken = broken

    def enqueue_processing(self, document_id: uuid.UUID, *, priority: QueuePriority) -> None:
        if self.broken:
            raise JobQueueUnavailable("queue down")
        self.jobs.append((document_id, priority))


class FakeExtractor:
    """Paragraphs of text (split on blank lines), one locator each; ``fail_with`` raises instead."""

    kinds = frozenset({DocumentKind.TEXT, DocumentKind.MARKDOWN, DocumentKind.CSV})
    name = "fake"
    version = "1"

    def __init__(self, fail_with: Exception | None = None, notes: tuple[str, ...] = (),
                 thumbnail: bytes | None = None) -> None:
        self.fail_with = fail_with
        self.notes = notes
        self.thumbnail = thumbnail
        self.budgets: list[Budget | None] = []

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None,
                budget: Budget | None = None) -> Extraction:
        self.budgets.append(budget)
        if self.fail_with is not None:
            raise self.fail_with
        paragraphs = [p for p in data.decode().split("\n\n") if p.strip()]
        if budget is not None:
            for p in paragraphs:
                budget.page()
                budget.add(p)
        if progress:
            progress(len(paragraphs), len(paragraphs))
        return Extraction(segments=[Segment(text=p, locator=Locator(paragraph=i + 1)) for i, p in enumerate(paragraphs)],
                          notes=self.notes, thumbnail=self.thumbnail)


class FakeExtractors:
    def __init__(self, extractor: FakeExtractor | None = None) -> None:
        self.extractor = extractor or FakeExtractor()

    def supported_kinds(self) -> frozenset[DocumentKind]:
        return self.extractor.kinds

    def for_kind(self, kind: DocumentKind) -> FakeExtractor:
        if kind not in self.extractor.kinds:
            raise UnsupportedFileType(f"{kind} unsupported")
        return self.extractor

    def unlock(self, data: bytes, *, kind: DocumentKind, password: str) -> bytes:
        """A "locked" fake file starts with b"LOCKED:<password>\n"; unlocking strips that line."""
        self.for_kind(kind)
        prefix = f"LOCKED:{password}\n".encode()
        if not data.startswith(prefix):
            raise PasswordRequired("wrong password")
        return data[len(prefix):]

    def decrypt_office(self, data: bytes, *, password: str) -> bytes:
        """Like ``unlock``: the fake "encrypted" payload follows the password line."""
        return self.unlock(data, kind=next(iter(self.extractor.kinds)), password=password)

    def bundle_photos(self, photos: list[bytes]) -> bytes:
        """The photos as paragraphs of one text document (the PDF bundling has its own tests)."""
        return b"\n\n".join(photos)


class ScriptedLanguageModel:
    """Answers with a fixed text, or by default with the first words of the first source and its
    marker (a claim its citation supports); records requests."""

    def __init__(self, answer: str | None = None, name: str = "scripted") -> None:
        self.answer, self.name = answer, name
        self.requests: list[AnswerRequest] = []

    def complete(self, request: AnswerRequest) -> Completion:
        self.requests.append(request)
        text = self.answer
        if text is None:
            first = request.sources[0] if request.sources else None
            text = f"{' '.join(first.text.split()[:8])} [{first.number}]." if first else "Nothing found."
        return Completion(text=text, tokens_in=100, tokens_out=10, model=self.name)

    def stream(self, request: AnswerRequest) -> Iterator[CompletionDelta | Completion]:
        completion = self.complete(request)
        words = completion.text.split(" ")
        for i, word in enumerate(words):
            yield CompletionDelta(text=word if i == len(words) - 1 else word + " ")
        yield completion


class FakeNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[str, uuid.UUID, DocumentStatus]] = []

    def document_completed(self, user: User, document: Document) -> None:
        self.sent.append(("completed", document.id, document.status))

    def document_failed(self, user: User, document: Document, *, active: Document | None = None) -> None:
        self.sent.append(("failed", document.id, document.status))
        self.active = active


class FakeCache:
    def __init__(self) -> None:
        self.items: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.items.get(key)

    def get_local(self, key: str) -> bytes | None:
        return None  # like a shared cache: every read is I/O

    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None:
        self.items[key] = value

    def add(self, key: str, value: bytes, *, ttl_seconds: int) -> bool:
        if key in self.items:
            return False
        self.items[key] = value
        return True

    def delete(self, key: str) -> None:
        self.items.pop(key, None)


class FakeAttemptCounter:
    """A sliding window per key on the FakeClock (the ``limits`` adapter has its own contract tests)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.attempts: dict[str, list[datetime]] = {}

    def _recent(self, key: str, limit: AttemptLimit) -> list[datetime]:
        since = self.clock.now() - timedelta(seconds=limit.seconds)
        self.attempts[key] = [t for t in self.attempts.get(key, []) if t > since]
        return self.attempts[key]

    def _decision(self, recent: list[datetime], limit: AttemptLimit) -> AttemptDecision:
        if len(recent) < limit.attempts:
            return AttemptDecision(allowed=True, retry_after=0)
        wait = (recent[0] + timedelta(seconds=limit.seconds) - self.clock.now()).total_seconds()
        return AttemptDecision(allowed=False, retry_after=max(1, math.ceil(wait)))

    def hit(self, key: str, limit: AttemptLimit) -> AttemptDecision:
        recent = self._recent(key, limit)
        decision = self._decision(recent, limit)
        if decision.allowed:
            recent.append(self.clock.now())
        return decision

    def allowed(self, key: str, limit: AttemptLimit) -> AttemptDecision:
        return self._decision(self._recent(key, limit), limit)

    def clear(self, key: str, limit: AttemptLimit) -> None:
        self.attempts.pop(key, None)


class PlainHasher:
    """Reversible on purpose: unit tests need speed, the argon2 adapter has its own tests."""

    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False


