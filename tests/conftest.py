"""Fixtures shared by every test folder. All are lazy: nothing here touches PostgreSQL unless a
test asks for ``postgres_url`` (or ``make_postgres_database``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file URL in a directory that does not exist yet (make_engine creates it)."""
    return f"sqlite:///{tmp_path / 'db' / 'assistant.db'}"


@pytest.fixture(scope="session")
def make_postgres_database() -> Iterator[Callable[[], str]]:
    """A factory of fresh, uniquely named databases on the test server; all are dropped at the end.

    The server is ASSISTANT_TEST_POSTGRES_URL (default: local trust auth). When it cannot be
    reached the requesting tests are skipped, or failed when CI=true.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    server = make_url(os.environ.get("ASSISTANT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        admin.dispose()
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        message = f"PostgreSQL unreachable at {server.render_as_string(hide_password=True)}: {reason}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)

    created: list[str] = []

    def create() -> str:
        name = f"assistant_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    try:
        yield create
    finally:
        with admin.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url(make_postgres_database: Callable[[], str]) -> str:
    """URL of a fresh, empty database for the whole session (run migrate.upgrade to get the schema)."""
    return make_postgres_database()


DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(scope="session")
def redis_server_url() -> str:
    """The test Redis (ASSISTANT_TEST_REDIS_URL, default DB 14 on the local server): skipped when
    unreachable, failed when CI=true."""
    import redis

    url = os.environ.get("ASSISTANT_TEST_REDIS_URL", DEFAULT_REDIS_URL)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis unreachable at {url}: {error}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def redis_prefix(redis_server_url: str) -> Iterator[str]:
    """A key prefix of this test alone; its keys are deleted afterwards."""
    import redis

    prefix = f"test-{uuid.uuid4().hex[:10]}:"
    yield prefix
    client = redis.Redis.from_url(redis_server_url)
    for key in client.scan_iter(f"{prefix}*", count=1000):
        client.delete(key)
    client.close()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[Callable[..., object]]:
    """A private redis-server (no persistence) on a free port, to stop and start during a test."""
    from tests.redis_process import RedisProcess

    servers: list[RedisProcess] = []

    def start(port: int | None = None) -> RedisProcess:
        server = RedisProcess(tmp_path, port)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of its own and no ASSISTANT_* variables from the parent environment."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path
