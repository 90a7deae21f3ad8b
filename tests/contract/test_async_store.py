"""QuestionStore and DocumentPages contract: the threaded store (over the fake, SQLite and
PostgreSQL units of work) and the PostgreSQL store (psycopg async, group commit) give the same
answers; then what only group commit does: concurrent records share transactions, one bad entry
fails alone, a database that cannot be reached is ServiceUnavailable."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from adapters.persistence import migrate
from adapters.persistence.async_store import PostgresAsyncStore
from adapters.persistence.engine import make_engine
from adapters.persistence.threaded_async_store import ThreadedAsyncStore
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from application.errors import TransientError
from application.ports.unit_of_work import UnitOfWork
from domain.analytics import AnalyticsEvent, EventType
from domain.conversations import Citation
from domain.documents import DocumentKind, DocumentStatus
from domain.errors import ServiceUnavailable
from domain.locators import Locator
from domain.users import Tier
from tests.contract.conftest import _emptied
from tests.contract.test_repositories import T0, a_conversation, a_document, a_user, at, stored
from tests.fakes import FakeUnitOfWork


@pytest.fixture(scope="module")
def pg_url(make_postgres_database: Callable[[], str]) -> str:
    url = make_postgres_database()
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="module")
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


Backend = tuple[UnitOfWork, Callable[[], Any]]  # a unit of work to arrange and check with, the store


@pytest.fixture(params=["threaded-fake", "threaded-sqlite", pytest.param("threaded-postgres", marks=pytest.mark.postgres),
                        pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "threaded-fake":
        uow = FakeUnitOfWork()
        return uow, lambda: ThreadedAsyncStore(lambda: uow)
    if request.param == "threaded-sqlite":
        engine = _emptied(request.getfixturevalue("sqlite_engine"))
        return SqlAlchemyUnitOfWork(engine), lambda: ThreadedAsyncStore(lambda: SqlAlchemyUnitOfWork(engine))
    engine = _emptied(request.getfixturevalue("pg_engine"))
    if request.param == "threaded-postgres":
        return SqlAlchemyUnitOfWork(engine), lambda: ThreadedAsyncStore(lambda: SqlAlchemyUnitOfWork(engine))
    url = request.getfixturevalue("pg_url")
    return SqlAlchemyUnitOfWork(engine), lambda: PostgresAsyncStore(url)


def run(make_store: Callable[[], Any], work: Callable[[Any], Any]) -> Any:
    """``work(store)`` in a fresh event loop, the store started and closed around it."""
    async def main() -> Any:
        store = make_store()
        await store.start()
        try:
            return await work(store)
        finally:
            await store.close()
    return asyncio.run(main())


def an_event(user_id: uuid.UUID | None, seconds: float = 1, **data: object) -> AnalyticsEvent:
    return AnalyticsEvent(user_id=user_id, type=EventType.QUESTION_ANSWERED, data=dict(data), created_at=at(seconds))


def test_the_asker_and_the_documents_come_in_one_read(backend: Backend) -> None:
    uow, make_store = backend
    user, other = a_user(tier=Tier.PREMIUM), a_user()
    mine, theirs = a_document(user, page_count=3, notes="two pages scanned"), a_document(other)
    stored(uow, user, other, documents=(mine, theirs))
    found_user, found = run(make_store, lambda s: s.asker_and_documents(user.id, [theirs.id, uuid.uuid4(), mine.id]))
    assert found_user == user and found_user.created_at.utcoffset().total_seconds() == 0
    assert sorted(found, key=lambda d: d.filename + str(d.id)) == sorted([mine, theirs], key=lambda d: d.filename + str(d.id))
    assert all(d.extracted_text is None for d in found)
    assert next(d for d in found if d.id == mine.id).created_at == T0
    assert run(make_store, lambda s: s.asker_and_documents(uuid.uuid4(), [mine.id])) == (None, [])
    assert run(make_store, lambda s: s.asker_and_documents(user.id, [])) == (user, [])


def test_a_record_stores_the_conversation_and_its_event_together(backend: Backend) -> None:
    uow, make_store = backend
    user = a_user()
    document = a_document(user)
    stored(uow, user, documents=(document,))
    citations = [Citation(number=1, document_id=document.id, chunk_ordinal=0, locators=(Locator(page=2),),
                          quote="«within 30 days»")]
    conversation = a_conversation(user, document, citations=citations, cost_usd=0.000125, cached=True, latency_ms=3)
    answered, refused = an_event(user.id, cached=True, document_id=str(document.id)), an_event(user.id, 2, window="minute")

    async def work(store: Any) -> None:
        await store.record(conversation, answered)
        await store.record(None, refused)

    run(make_store, work)
    with uow:
        assert uow.conversations.list_for_user(user.id) == [conversation]
        assert uow.conversations.get(conversation.id).citations == citations
        assert uow.events.list_for_user(user.id) == [answered, refused]


def test_concurrent_records_share_transactions_and_all_commit(pg_engine: Engine, pg_url: str) -> None:
    engine = _emptied(pg_engine)
    uow = SqlAlchemyUnitOfWork(engine)
    user = a_user()
    stored(uow, user)
    records = [(a_conversation(user, None, question=f"q{n}?", created_at=at(n)), an_event(user.id, n=n))
               for n in range(60)]

    async def work(store: PostgresAsyncStore) -> int:
        await asyncio.gather(*(store.record(c, e) for c, e in records))
        return store.transactions

    transactions = run(lambda: PostgresAsyncStore(pg_url), work)
    assert transactions < len(records)  # shared: fewer commits than answers
    with uow:
        assert len(uow.conversations.list_for_user(user.id, limit=100)) == 60
        assert len(uow.events.list_for_user(user.id)) == 60


def test_one_bad_entry_fails_alone(pg_engine: Engine, pg_url: str) -> None:
    engine = _emptied(pg_engine)
    uow = SqlAlchemyUnitOfWork(engine)
    user = a_user()
    stored(uow, user)
    ghost = a_user()  # never stored: its conversation breaks the foreign key
    good = [(a_conversation(user, None, question=f"q{n}?"), an_event(user.id, n=n)) for n in range(10)]
    bad = (a_conversation(ghost, None), an_event(None))

    async def work(store: PostgresAsyncStore) -> list[object]:
        return await asyncio.gather(*(store.record(c, e) for c, e in [*good[:5], bad, *good[5:]]),
                                    return_exceptions=True)

    outcomes = run(lambda: PostgresAsyncStore(pg_url), work)
    assert [type(o).__name__ for o in outcomes].count("NoneType") == 10
    assert "ForeignKeyViolation" in type(outcomes[5]).__name__
    with uow:
        assert len(uow.conversations.list_for_user(user.id)) == 10
        assert uow.conversations.list_for_user(ghost.id) == []


@pytest.mark.postgres
def test_a_database_that_cannot_be_reached_is_service_unavailable() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    attempts: list[int] = []

    async def work(store: PostgresAsyncStore) -> list[object]:
        write = store._write  # noqa: SLF001 - counting the transactions tried

        async def counted(rows: Any) -> None:
            attempts.append(len(rows))
            await write(rows)

        store._write = counted  # type: ignore[method-assign]  # noqa: SLF001
        read = store.asker_and_documents(uuid.uuid4(), [])
        writes = [store.record(None, an_event(None, n=n)) for n in range(10)]
        return await asyncio.gather(read, *writes, return_exceptions=True)

    outcomes = run(lambda: PostgresAsyncStore(url, timeout=0.5), work)
    assert len(outcomes) == 11
    assert all(isinstance(o, ServiceUnavailable) and isinstance(o, TransientError) for o in outcomes), outcomes
    assert all(o.details == {"service": "database"} for o in outcomes)
    assert sum(attempts) == 10  # an outage fails the shared transaction's entries at once, none retried alone


def test_a_page_with_its_owner_is_what_the_repository_lists(backend: Backend) -> None:
    uow, make_store = backend
    owner, other = a_user(), a_user()
    statuses = [DocumentStatus.COMPLETED, DocumentStatus.PENDING, DocumentStatus.FAILED]
    kinds = [DocumentKind.PDF, DocumentKind.XLSX]
    mine = [a_document(owner, status=statuses[n % 3], kind=kinds[n % 2], created_at=at(n // 2), updated_at=at(n // 2))
            for n in range(9)]  # pairs share a created_at: the id breaks the tie
    stored(uow, owner, other, documents=(*mine, a_document(other, created_at=at(99), updated_at=at(99))))
    with uow:
        newest = uow.documents.list_for_owner(owner.id, limit=3)
    queries: list[dict[str, Any]] = [
        {"limit": 50}, {"limit": 3}, {"limit": 4, "before": (newest[-1].created_at, newest[-1].id)},
        {"status": DocumentStatus.COMPLETED}, {"kind": DocumentKind.XLSX, "limit": 2},
        {"status": DocumentStatus.PENDING, "kind": DocumentKind.PDF, "before": (at(3), newest[0].id)},
    ]
    for query in queries:
        with uow:
            expected = uow.documents.list_for_owner(owner.id, **query)
        found_owner, page = run(make_store, lambda s, q=query: s.owner_and_page(owner.id, **q))
        assert found_owner == owner and page == expected, query
    assert run(make_store, lambda s: s.owner_and_page(uuid.uuid4())) == (None, [])
    assert run(make_store, lambda s: s.owner_and_page(other.id, status=DocumentStatus.FAILED))[1] == []
