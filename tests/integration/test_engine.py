"""make_engine: SQLite settings, thread safety of the SQLite unit of work, PostgreSQL options."""

from __future__ import annotations

import socket
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from adapters.persistence import engine as engine_module
from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from application.errors import TransientError
from domain.errors import ServiceUnavailable
from domain.users import User


def test_sqlite_engine_creates_the_folder_and_sets_the_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'app.db'}")
    try:
        with engine.connect() as connection:
            pragmas = [connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                       for name in ("foreign_keys", "journal_mode", "busy_timeout")]
        assert pragmas == [1, "wal", 5000]
        assert (tmp_path / "a" / "b" / "app.db").exists()
    finally:
        engine.dispose()


def test_sqlite_units_of_work_in_several_threads_do_not_lock_each_other_out(sqlite_url: str) -> None:
    """Read-then-write transactions from many threads: BEGIN IMMEDIATE makes them wait, not fail."""
    migrate.upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    errors: list[BaseException] = []
    now = datetime(2026, 1, 5, tzinfo=UTC)

    def work(worker: int) -> None:
        uow = SqlAlchemyUnitOfWork(engine)
        try:
            for i in range(15):
                with uow:
                    uow.users.list(limit=5)
                    uow.users.add(User(telegram_id=worker * 1000 + i, created_at=now, updated_at=now))
                    uow.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 8 * 15
    finally:
        engine.dispose()


def test_sqlite_in_memory_is_one_shared_database() -> None:
    engine = make_engine("sqlite://")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_pool_replaces_a_connection_that_died_while_idle(postgres_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A pooled connection idle past the threshold is pinged at checkout, and replaced when dead
    (the database restarted); one in steady use is not pinged."""
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    engine = make_engine(postgres_url)
    killer = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            first = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        with killer.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
            other.commit()
        with engine.connect() as connection:  # no error: the dead one was pinged and replaced
            second = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        assert second != first
        assert engine.pool.size() >= 20  # type: ignore[attr-defined] - one connection per API thread
    finally:
        engine.dispose()
        killer.dispose()


@pytest.mark.postgres
def test_a_read_only_unit_of_work_opens_no_transaction_on_postgres(postgres_url: str) -> None:
    user = User(email=f"{uuid.uuid4().hex[:8]}@example.com", created_at=NOW, updated_at=NOW)
    engine = _engine_with(postgres_url, user)
    try:
        status = _read_only_status(engine, user)
        assert status == psycopg.pq.TransactionStatus.IDLE  # no BEGIN was sent
        with SqlAlchemyUnitOfWork(engine) as writer:  # the pooled connection is transactional again
            writer.users.get(user.id)
            status = writer._current().connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
            assert status == psycopg.pq.TransactionStatus.INTRANS
    finally:
        engine.dispose()


def test_a_read_only_unit_of_work_reads_and_refuses_to_commit_on_sqlite(sqlite_url: str) -> None:
    user = User(telegram_id=77, created_at=NOW, updated_at=NOW)
    engine = _engine_with(sqlite_url, user)
    try:
        _read_only_status(engine, user)
    finally:
        engine.dispose()


NOW = datetime(2026, 1, 5, tzinfo=UTC)


def _engine_with(url: str, user: User):  # noqa: ANN202 - an Engine
    """A migrated database holding ``user``."""
    migrate.upgrade(url)
    engine = make_engine(url)
    with SqlAlchemyUnitOfWork(engine) as writer:
        writer.users.add(user)
        writer.commit()
    return engine


def _read_only_status(engine, user: User) -> object:  # noqa: ANN001
    """Read the user back in a read-only unit of work (which refuses to commit); its connection's
    transaction status (PostgreSQL) or None."""
    reader = SqlAlchemyUnitOfWork(engine, read_only=True)
    with reader:
        assert reader.users.get(user.id) == user
        info = getattr(reader._current().connection.dbapi_connection, "info", None)
        status = getattr(info, "transaction_status", None)
        with pytest.raises(RuntimeError, match="read-only"):
            reader.commit()
    return status


@pytest.mark.postgres
def test_a_database_that_cannot_be_reached_or_goes_away_is_service_unavailable(postgres_url: str) -> None:
    """HTTP 503 and CLI exit 75 rather than a crash: at connect, and when the connection dies
    under a unit of work."""
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    with pytest.raises(ServiceUnavailable) as caught, SqlAlchemyUnitOfWork(nowhere):
        pass
    assert caught.value.details == {"service": "database"} and isinstance(caught.value, TransientError)  # jobs retry
    migrate.upgrade(postgres_url)
    engine, killer = make_engine(postgres_url), make_engine(postgres_url)
    try:
        uow = SqlAlchemyUnitOfWork(engine)
        with pytest.raises(ServiceUnavailable), uow:
            pid = uow._current().execute(text("SELECT pg_backend_pid()")).scalar()  # noqa: SLF001
            with killer.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                other.commit()
            uow.users.get(uuid.uuid4())
        with uow:  # the pool goes on with a fresh connection
            assert uow.users.get(uuid.uuid4()) is None
    finally:
        engine.dispose()
        killer.dispose()
        nowhere.dispose()
