"""Engines for the two supported databases: a SQLite file (embedded profile) or PostgreSQL (psycopg 3).

SQLite connections get ``foreign_keys=ON`` (cascades are declared in the schema), WAL and a busy
timeout, and may be shared by threads. pysqlite's legacy transaction handling is switched off and
every transaction starts with ``BEGIN IMMEDIATE`` (the recipe in SQLAlchemy's SQLite docs, with
IMMEDIATE instead of plain BEGIN): a unit of work typically reads then writes, and a deferred
transaction that upgrades to a writer after another thread committed fails at once with
SQLITE_BUSY instead of waiting for ``busy_timeout``. Readers are never blocked under WAL.

PostgreSQL connections are pooled (``pool_size``, ASSISTANT_DATABASE_POOL_SIZE, kept open, up to as many
more under a burst): the pool is as large as the API's thread pool, so a busy API does not open and close a
connection per request. A connection is checked with a round trip (``SELECT 1``) only when it
has been idle in the pool for ``PING_AFTER_IDLE_SECONDS`` or more: a dead one (the server was
restarted) is replaced before use, while a connection in steady use pays no extra round trip per
checkout (SQLAlchemy's ``pool_pre_ping`` would ping on every checkout). A connection that breaks
while in use fails that statement and SQLAlchemy invalidates the pool, as with ``pool_pre_ping``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS = 5000
POOL_SIZE = 20  # the default of ASSISTANT_DATABASE_POOL_SIZE
PING_AFTER_IDLE_SECONDS = 5.0


def is_postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def make_engine(url: str, *, pool_size: int = POOL_SIZE, transaction_pooler: bool = False,
                ping_every_checkout: bool = False) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``).

    PostgreSQL: ``pool_size`` connections kept open and as many more under a burst (the connection
    budget in docs/scaling.md counts 2 x pool_size per process). ``transaction_pooler``: the URL
    is a pooler in transaction mode (PgBouncer ``pool_mode = transaction``), where consecutive
    transactions of one client connection may run on different server connections, so psycopg's
    automatic server-side prepared statements are switched off (they live on one server connection).
    ``ping_every_checkout``: SQLAlchemy's pool_pre_ping, for a server that may go away while the app
    can do without it (a read replica: its dead connections are found before use, not by a request)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    connect_args = {"prepare_threshold": None} if transaction_pooler else {}
    engine = create_engine(parsed, pool_size=pool_size, max_overflow=pool_size, hide_parameters=True,
                           connect_args=connect_args, pool_pre_ping=ping_every_checkout)
    event.listen(engine, "checkin", _on_checkin)
    event.listen(engine, "checkout", _on_checkout)
    return engine


def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["idle_since"] = time.monotonic()


def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Ping a connection that sat idle; a dead one is replaced (the pool retries the checkout)."""
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    autocommit = dbapi_connection.autocommit
    try:
        dbapi_connection.autocommit = True  # the ping must not open a transaction
        dbapi_connection.execute("SELECT 1")
        dbapi_connection.autocommit = autocommit
    except Exception as error:
        raise exc.DisconnectionError(str(error)) from error


def _sqlite_engine(url: URL) -> Engine:
    in_memory = url.database in (None, "", ":memory:") or "mode=memory" in str(url)
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}, "hide_parameters": True}
    if in_memory:
        options["poolclass"] = StaticPool  # one shared connection, or each would see its own database
    elif not url.query.get("uri"):
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _on_begin)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()
    # SQLite's lower() folds ASCII only: the documents' filename search folds Cyrillic too with this
    dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)


def _casefold(text: str | None) -> str | None:
    return text.casefold() if isinstance(text, str) else text


def _on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
