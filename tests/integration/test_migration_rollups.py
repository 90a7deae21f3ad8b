"""Migration 0009 on SQLite and PostgreSQL with rows in the database: everyone's document counts
start from the documents already there and then follow every change through the triggers;
downgrading to 0008 drops the rollup tables and the triggers, and documents can still be written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, inspect

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from domain.documents import DocumentKind, DocumentStatus
from tests.integration import test_migration_threads as at_0007
from tests.integration import test_migrations

database_url = test_migrations.database_url
ROLLUP_TABLES = {"usage_daily", "usage_daily_global", "usage_active_users", "document_counts", "document_count_deltas"}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _add_document(engine: Engine, owner: uuid.UUID, kind: str, status: str) -> None:
    with engine.begin() as connection:
        connection.execute(at_0007.DOCUMENTS.insert(), {
            "id": uuid.uuid4(), "owner_id": owner, "filename": "f", "kind": kind, "size": 1, "sha256": "0" * 64,
            "storage_key": uuid.uuid4().hex, "status": status, "progress_done": 0, "progress_total": 0,
            "created_at": at_0007.T0, "updated_at": at_0007.T0})


def _everyone(engine: Engine) -> dict:
    with SqlAlchemyUnitOfWork(engine, read_only=True) as uow:
        return uow.documents.counts_by_kind_and_status(None)


def test_counts_start_from_the_existing_documents_and_downgrade_drops_the_triggers(
        database_url: str, engine: Engine) -> None:
    migrate.upgrade(database_url, "0008")
    owner, _, _ = at_0007._insert_at_0007(engine)  # one completed markdown document
    _add_document(engine, owner, "pdf", "failed")
    migrate.upgrade(database_url, "0009")
    assert ROLLUP_TABLES <= set(inspect(engine).get_table_names())
    assert _everyone(engine) == {(DocumentKind.MARKDOWN, DocumentStatus.COMPLETED): 1,
                                 (DocumentKind.PDF, DocumentStatus.FAILED): 1}
    _add_document(engine, owner, "pdf", "failed")
    assert _everyone(engine)[(DocumentKind.PDF, DocumentStatus.FAILED)] == 2

    migrate.downgrade(database_url, "0008")
    assert not ROLLUP_TABLES & set(inspect(engine).get_table_names())
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("conversations")}
    assert "ix_conversations_created" not in indexes
    _add_document(engine, owner, "docx", "pending")  # no trigger left writing to a dropped table
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(at_0007.DOCUMENTS)).scalar_one() == 4
    migrate.upgrade(database_url)
    assert sum(_everyone(engine).values()) == 4
