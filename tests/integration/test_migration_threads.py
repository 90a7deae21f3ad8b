"""Migration 0008 on SQLite and PostgreSQL with rows in the database: every existing conversation
becomes a one-turn thread (a document's or the library's, titled by its question) that the app
then reads through its repositories; downgrading keeps every conversation."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, inspect

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from domain.threads import ThreadScope
from tests.integration import test_migrations

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
LONG = "What are the payment terms of the contract signed with the supplier in Tallinn, and what happens " \
       "when an invoice is late?"
database_url = test_migrations.database_url
_WHEN = sa.DateTime(timezone=True)
# the tables as they stand at revision 0007 (adapters.persistence.tables describes the head)
USERS = sa.table("users", *(sa.column(n, t) for n, t in (
    ("id", sa.Uuid()), ("email", sa.String()), ("role", sa.String()), ("tier", sa.String()), ("status", sa.String()),
    ("language", sa.String()), ("created_at", _WHEN), ("updated_at", _WHEN))))
DOCUMENTS = sa.table("documents", *(sa.column(n, t) for n, t in (
    ("id", sa.Uuid()), ("owner_id", sa.Uuid()), ("filename", sa.Text()), ("kind", sa.String()), ("size", sa.BigInteger()),
    ("sha256", sa.String()), ("storage_key", sa.Text()), ("status", sa.String()), ("progress_done", sa.Integer()),
    ("progress_total", sa.Integer()), ("created_at", _WHEN), ("updated_at", _WHEN))))
CONVERSATIONS = sa.table("conversations", *(sa.column(n, t) for n, t in (
    ("id", sa.Uuid()), ("user_id", sa.Uuid()), ("document_id", sa.Uuid()), ("question", sa.Text()),
    ("answer", sa.Text()), ("citations", sa.JSON()), ("tokens_in", sa.Integer()), ("tokens_out", sa.Integer()),
    ("cost_usd", sa.Numeric()), ("model", sa.String()), ("latency_ms", sa.Integer()), ("cached", sa.Boolean()),
    ("created_at", _WHEN))))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _insert_at_0007(engine: Engine) -> tuple[uuid.UUID, uuid.UUID, list[uuid.UUID]]:
    user, document = uuid.uuid4(), uuid.uuid4()
    asked = [uuid.uuid4() for _ in range(3)]
    users, documents, conversations = USERS, DOCUMENTS, CONVERSATIONS
    with engine.begin() as connection:
        connection.execute(users.insert(), {"id": user, "email": "ann@example.com", "role": "user", "tier": "free",
                                            "status": "active", "language": "en", "created_at": T0, "updated_at": T0})
        connection.execute(documents.insert(), {
            "id": document, "owner_id": user, "filename": "terms.md", "kind": "markdown", "size": 10,
            "sha256": "0" * 64, "storage_key": "k", "status": "completed", "progress_done": 1, "progress_total": 1,
            "created_at": T0, "updated_at": T0})
        for number, (conversation, question, about) in enumerate(
                zip(asked, ["When are invoices due?", LONG, "Which documents mention Riga?"],
                    [document, document, None], strict=True)):
            connection.execute(conversations.insert(), {
                "id": conversation, "user_id": user, "document_id": about, "question": question, "answer": "…",
                "citations": [], "tokens_in": 1, "tokens_out": 1, "cost_usd": 0, "model": "offline",
                "latency_ms": 5, "cached": False, "created_at": T0.replace(minute=number)})
    return user, document, asked


def test_existing_conversations_become_one_turn_threads_and_survive_a_downgrade(database_url: str,
                                                                                 engine: Engine) -> None:
    migrate.upgrade(database_url, "0007")
    user, document, asked = _insert_at_0007(engine)
    migrate.upgrade(database_url, "0008")
    engine.dispose()
    with SqlAlchemyUnitOfWork(engine) as uow:
        threads = uow.threads.list_for_user(user)
        assert len(threads) == 3
        by_turn = {uow.threads.turns(t.id)[0].id: t for t in threads}
        assert set(by_turn) == set(asked) and all(len(uow.threads.turns(t.id)) == 1 for t in threads)
        first, long, library = (by_turn[a] for a in asked)
        assert (first.scope, first.document_ids, first.title) == (ThreadScope.DOCUMENT, (document,),
                                                                  "When are invoices due?")
        assert long.title.endswith("…") and len(long.title) <= 81 and long.title.startswith("What are the payment")
        assert (library.scope, library.document_ids) == (ThreadScope.LIBRARY, ())
        assert first.created_at == first.updated_at == T0.replace(minute=0)
        assert [t.id for t in threads] == [library.id, long.id, first.id]  # most recent first

    migrate.downgrade(database_url, "0007")
    engine.dispose()
    assert "threads" not in inspect(engine).get_table_names()
    assert "thread_id" not in {c["name"] for c in inspect(engine).get_columns("conversations")}
    with engine.connect() as connection:
        kept = set(connection.execute(sa.select(CONVERSATIONS.c.id)).scalars())
    assert kept == set(asked)
