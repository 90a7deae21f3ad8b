"""make_engine: SQLite settings, thread safety of the SQLite unit of work, PostgreSQL options."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
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
def test_postgres_engine_pings_its_pool(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        assert engine.pool._pre_ping  # type: ignore[attr-defined]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
