"""The backends every contract test runs on: the in-memory fakes, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.tables import document_count_deltas, metadata
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from application.ports.unit_of_work import UnitOfWork
from tests.fakes import FakeUnitOfWork


def _migrated_engine(url: str) -> Engine:
    migrate.upgrade(url)
    return make_engine(url)


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = _migrated_engine(f"sqlite:///{tmp_path_factory.mktemp('contract') / 'contract.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = _migrated_engine(postgres_url)
    yield engine
    engine.dispose()


def _emptied(engine: Engine) -> Engine:
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name == "audit_log" and engine.dialect.name == "postgresql":
                connection.execute(text("TRUNCATE audit_log"))  # append-only: its trigger refuses DELETE
            else:
                connection.execute(table.delete())
        connection.execute(document_count_deltas.delete())  # again: deleting documents appended to it
    return engine


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def uow(request: pytest.FixtureRequest) -> UnitOfWork:
    """One unit of work over empty storage; tests enter it several times, like the use cases do."""
    if request.param == "fake":
        return FakeUnitOfWork()
    return SqlAlchemyUnitOfWork(_emptied(request.getfixturevalue(f"{request.param}_engine")))
