"""Alembic environment. The database URL comes from ``config.attributes["url"]`` (set by
adapters.persistence.migrate) or, failing that, the ``sqlalchemy.url`` option.

SQLite: batch mode (ALTER through table copies), with foreign keys off while tables are copied
and ``PRAGMA foreign_key_check`` before commit, as SQLite's docs prescribe for schema changes.
PostgreSQL: a transaction-level advisory lock, so processes starting together migrate one by one.
Offline (``--sql``) scripts work for PostgreSQL only: SQLite's batch copies need a live database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from adapters.persistence.engine import make_engine
from adapters.persistence.partitions import is_partition_object
from adapters.persistence.tables import metadata

MIGRATION_LOCK_ID = 0x41495F42  # any constant shared by every process migrating this database

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: use adapters.persistence.migrate or set sqlalchemy.url")
    return str(url)


def run_offline() -> None:
    url = _url()
    context.configure(url=url, target_metadata=metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"), dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, on=False)  # a no-op inside a transaction: set it before
    try:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=sqlite,
                          include_object=_not_a_partition)
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
            context.run_migrations()
            if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                raise RuntimeError(f"migration left rows breaking foreign keys: {broken[:5]}")
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)


def _not_a_partition(schema_object: object, name: str | None, *_: object) -> bool:
    """Autogenerate compares the parents with the tables module, not PostgreSQL's month partitions (0012)."""
    return not is_partition_object(name, getattr(getattr(schema_object, "table", None), "name", None))


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


if context.is_offline_mode():
    run_offline()
else:
    run_online()
