"""Row-level security on PostgreSQL (migration 0011) and the append-only audit log (migration 0010),
tested as the application's role: a login role that neither owns the tables nor bypasses RLS,
created here and granted what `assistant db grant` grants (adapters.persistence.app_role)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, ProgrammingError

from adapters.persistence.async_store import PostgresAsyncStore
from adapters.persistence.engine import make_engine
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from domain.analytics import AuditEntry
from domain.documents import DocumentStatus
from domain.threads import Thread
from tests.app_role import app_role_database
from tests.contract.test_repositories import a_chunk, a_conversation, a_document, a_user

pytestmark = pytest.mark.postgres
PROTECTED = ["documents", "chunks", "conversations", "threads", "search_documents", "search_chunks",
             "document_texts"]
LATER = datetime.now(UTC) + timedelta(days=1)


@pytest.fixture(scope="module")
def databases(make_postgres_database: Callable[[], str]) -> Iterator[tuple[str, str]]:
    """(the owner's URL, the application role's URL) of one migrated database."""
    with app_role_database(make_postgres_database) as urls:
        yield urls


@pytest.fixture(scope="module")
def app_engine(databases: tuple[str, str]) -> Iterator[Engine]:
    engine = make_engine(databases[1])
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def world(app_engine: Engine) -> dict[str, object]:
    """Alice's and Bob's documents, chunks, conversations and threads, written by a worker."""
    alice, bob = a_user(), a_user()
    rows: dict[str, object] = {"alice": alice, "bob": bob}
    uow = SqlAlchemyUnitOfWork(app_engine, row_security=True, role="worker")
    with uow:
        for name, user in (("alice", alice), ("bob", bob)):
            uow.users.add(user)
            document = a_document(user, filename=f"{name}.pdf")
            uow.documents.add(document)
            uow.chunks.replace(document.id, [a_chunk(document, 0), a_chunk(document, 1)])
            thread = Thread.start(user_id=user.id, document_ids=(document.id,), now=document.created_at)
            uow.threads.add(thread)
            uow.conversations.add(a_conversation(user, document, thread_id=thread.id))
            rows[f"{name}_document"] = document
        uow.commit()
    return rows


def acting(engine: Engine, user_id: uuid.UUID | None = None, **options: object) -> SqlAlchemyUnitOfWork:
    uow = SqlAlchemyUnitOfWork(engine, row_security=True, **options)  # type: ignore[arg-type]
    uow.__enter__()
    if user_id is not None:
        uow.act_for(user_id)
    return uow


def counts(uow: SqlAlchemyUnitOfWork) -> dict[str, int]:
    connection = uow._current()
    return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in PROTECTED}


def test_the_application_role_neither_owns_the_tables_nor_bypasses_rls(app_engine: Engine) -> None:
    with app_engine.connect() as connection:
        me = connection.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        owners = connection.execute(text(
            "SELECT DISTINCT tableowner = current_user FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        enabled = dict(connection.execute(text(
            "SELECT relname, relrowsecurity FROM pg_class WHERE relname = ANY(:names)"), {"names": PROTECTED}).all())
    assert tuple(me) == (False, False)
    assert owners == [False]
    assert enabled == dict.fromkeys(PROTECTED, True)


def test_a_query_without_owner_filter_returns_only_the_acting_users_rows(app_engine: Engine,
                                                                        world: dict[str, object]) -> None:
    alice, bob = world["alice"], world["bob"]
    bob_document = world["bob_document"]
    uow = acting(app_engine, alice.id)  # type: ignore[attr-defined]
    try:
        pending = uow.documents.list_by_status([DocumentStatus.PENDING], updated_before=LATER)  # no owner filter
        assert [d.owner_id for d in pending] == [alice.id]  # type: ignore[attr-defined]
        assert uow.documents.get(bob_document.id) is None  # type: ignore[attr-defined]
        assert uow.documents.list_for_owner(bob.id) == []  # type: ignore[attr-defined]
        assert uow.chunks.list_for_document(bob_document.id) == []  # type: ignore[attr-defined]
        assert uow.conversations.list_for_user(bob.id) == []  # type: ignore[attr-defined]
        assert uow.threads.list_for_user(bob.id) == []  # type: ignore[attr-defined]
        assert counts(uow) == {"documents": 1, "chunks": 2, "conversations": 1, "threads": 1,
                               "search_documents": 0, "search_chunks": 0, "document_texts": 0}
        assert len(uow.users.list()) == 2  # users are not a protected table
    finally:
        uow.__exit__(None, None, None)


def test_the_setting_lasts_one_transaction_and_a_commit_keeps_acting(app_engine: Engine,
                                                                    world: dict[str, object]) -> None:
    alice = world["alice"]
    uow = acting(app_engine, alice.id)  # type: ignore[attr-defined]
    try:
        assert counts(uow)["documents"] == 1
        uow.commit()  # the next transaction names the user again
        assert counts(uow)["documents"] == 1
    finally:
        uow.__exit__(None, None, None)
    with app_engine.connect() as connection:  # the pooled connection carries nothing over
        setting = connection.execute(text("SELECT current_setting('app.user_id', true)")).scalar_one()
        assert setting in (None, "")
        assert connection.execute(text("SELECT count(*) FROM documents")).scalar_one() == 0


def test_nobody_named_sees_nothing_workers_and_administrators_see_everyone(app_engine: Engine,
                                                                          world: dict[str, object]) -> None:
    for options, expected in (({}, 0), ({"role": "worker"}, 2)):
        uow = acting(app_engine, **options)
        try:
            assert counts(uow)["documents"] == expected and counts(uow)["conversations"] == expected
        finally:
            uow.__exit__(None, None, None)
    uow = acting(app_engine, world["alice"].id)  # type: ignore[attr-defined]
    try:
        uow.act_as_admin()
        assert counts(uow)["documents"] == 2
    finally:
        uow.__exit__(None, None, None)


def test_read_only_units_of_work_act_for_their_user_too(app_engine: Engine, world: dict[str, object]) -> None:
    uow = acting(app_engine, world["bob"].id, read_only=True)  # type: ignore[attr-defined]
    try:
        assert [d.filename for d in uow.documents.list_for_owner(world["bob"].id)] == ["bob.pdf"]  # type: ignore[attr-defined]
        assert uow.documents.get(world["alice_document"].id) is None  # type: ignore[attr-defined]
    finally:
        uow.__exit__(None, None, None)


def test_a_user_cannot_write_a_row_for_another_user(app_engine: Engine, world: dict[str, object]) -> None:
    uow = acting(app_engine, world["alice"].id)  # type: ignore[attr-defined]
    try:
        with pytest.raises(ProgrammingError, match="row-level security"):
            uow.documents.add(a_document(world["bob"]))  # type: ignore[arg-type]
    finally:
        uow.__exit__(None, None, None)


def test_the_async_store_reads_as_its_user(databases: tuple[str, str], world: dict[str, object]) -> None:
    async def pages() -> tuple[list[str], list[str]]:
        store = PostgresAsyncStore(databases[1], row_security=True)
        await store.start()
        try:
            _, mine = await store.owner_and_page(world["alice"].id)  # type: ignore[attr-defined]
            _, asked = await store.asker_and_documents(world["alice"].id,  # type: ignore[attr-defined]
                                                       [world["bob_document"].id])  # type: ignore[attr-defined]
            return [d.filename for d in mine], [d.filename for d in asked]
        finally:
            await store.close()

    assert asyncio.run(pages()) == (["alice.pdf"], [])


def test_the_owner_is_not_bound(databases: tuple[str, str], world: dict[str, object]) -> None:
    engine = make_engine(databases[0])
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM documents")).scalar_one() == 2
    finally:
        engine.dispose()


@pytest.mark.parametrize("as_owner", [True, False], ids=["owner", "app-role"])
def test_the_audit_log_refuses_update_and_delete(databases: tuple[str, str], as_owner: bool) -> None:
    engine = make_engine(databases[0] if as_owner else databases[1])
    entry = AuditEntry(actor_id=None, action="sign_in_failed", target="x@example.com", created_at=datetime.now(UTC))
    try:
        uow = SqlAlchemyUnitOfWork(engine)
        with uow:
            uow.audit.add(entry)
            uow.commit()
        for statement in ("UPDATE audit_log SET target = 'someone else' WHERE id = :id",
                          "DELETE FROM audit_log WHERE id = :id"):
            with engine.connect() as connection, pytest.raises(DBAPIError) as refused:
                connection.execute(text(statement), {"id": entry.id})
            assert "append-only" in str(refused.value) if as_owner else "permission denied" in str(refused.value)
        with uow:
            assert [e.target for e in uow.audit.list(limit=1000) if e.id == entry.id] == ["x@example.com"]
    finally:
        engine.dispose()


def test_the_rollup_job_as_the_application_role_counts_every_users_questions(
        make_postgres_database: Callable[[], str]) -> None:
    """The worker's rollup runs set-wise outside the unit of work: naming nobody, row-level security
    would hide every question, the watermark would pass them and they would never be counted."""
    from adapters.persistence.usage_rollups import SqlAlchemyAnalyticsRollups

    with app_role_database(make_postgres_database) as (owner_url, app_url):
        app, owner = make_engine(app_url), make_engine(owner_url)
        try:
            uow = SqlAlchemyUnitOfWork(app, row_security=True, role="worker")
            with uow:
                for user in (a_user(), a_user()):
                    uow.users.add(user)
                    document = a_document(user)
                    uow.documents.add(document)
                    uow.conversations.add(a_conversation(user, document))
                uow.commit()
            run = SqlAlchemyAnalyticsRollups(app).run(datetime.now(UTC) + timedelta(days=400))
            assert run.days
            with owner.connect() as connection:
                counted = connection.execute(text("SELECT coalesce(sum(questions), 0) FROM usage_daily")).scalar_one()
            assert counted == 2
        finally:
            app.dispose()
            owner.dispose()


def test_retention_as_the_application_role_finds_every_users_questions(app_engine: Engine,
                                                                       world: dict[str, object]) -> None:
    """Retention's set-wise statements also run outside the unit of work (adapters/persistence/retention.py):
    naming nobody, they would find nothing to delete."""
    from adapters.persistence.retention import SqlAlchemyRetentionStore
    from domain.users import Tier

    assert SqlAlchemyRetentionStore(app_engine).old_conversations(Tier.FREE, LATER, delete=False) == 2
