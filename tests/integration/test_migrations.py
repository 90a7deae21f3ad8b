"""Alembic migrations on SQLite and PostgreSQL: the stairway (up, down, up again), the resulting
schema (tables and the indexes of the real access paths), and that it matches adapters' tables."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.partitions import is_partition_object
from adapters.persistence.tables import POSTGRESQL_ONLY, SQLITE_ONLY, metadata

TABLES = {"users", "documents", "document_texts", "chunks", "conversations", "analytics_events", "audit_log", "api_keys",
          "search_documents", "search_chunks"}
INDEXES = {
    "documents": {("owner_id", "created_at", "id"), ("owner_id", "sha256"), ("status", "updated_at")},
    "conversations": {("user_id", "created_at"), ("created_at",)},
    "analytics_events": {("user_id", "created_at"), ("type", "created_at"), ("created_at",)},
    "usage_active_users": {("last_day",)},
    "api_keys": {("hash",), ("user_id", "created_at")},
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database of its own (the stairway would break the contract tests' schema)."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
    return make()


def test_stairway_upgrade_downgrade_upgrade(database_url: str) -> None:
    assert migrate.current(database_url) is None
    migrate.upgrade(database_url)
    assert migrate.current(database_url) == migrate.head()
    migrate.downgrade(database_url, "base")
    assert migrate.current(database_url) is None
    assert _tables(database_url) & TABLES == set()
    migrate.upgrade(database_url)
    assert migrate.current(database_url) == migrate.head()
    migrate.upgrade(database_url)  # already at head: nothing to do
    assert migrate.current(database_url) == migrate.head()


def test_schema_has_the_tables_keys_and_indexes(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        inspector = inspect(engine)
        assert TABLES <= set(inspector.get_table_names())
        for table, expected in INDEXES.items():
            assert expected <= {tuple(ix["column_names"]) for ix in inspector.get_indexes(table)}, table
        assert {tuple(u["column_names"]) for u in inspector.get_unique_constraints("chunks")} == {
            ("document_id", "ordinal")}
        assert {tuple(u["column_names"]) for u in inspector.get_unique_constraints("search_chunks")} == {
            ("document_id", "ordinal")}
        if engine.dialect.name == "postgresql":
            gin = [ix for ix in inspector.get_indexes("search_chunks") if ix["name"] == "ix_search_chunks_terms"]
            assert [ix["dialect_options"].get("postgresql_using") for ix in gin] == ["gin"]
        else:
            assert SQLITE_ONLY <= set(inspector.get_table_names())
        assert {tuple(u["column_names"]) for u in inspector.get_unique_constraints("users")} == {
            ("email",), ("telegram_id",)}
        assert [ix["unique"] for ix in inspector.get_indexes("api_keys") if ix["column_names"] == ["hash"]] == [True]
        active = [fk for fk in inspector.get_foreign_keys("users") if fk["referred_table"] == "documents"]
        assert [(fk["constrained_columns"], fk["options"].get("ondelete")) for fk in active] == [
            (["active_document_id"], "SET NULL")]
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_tables_module(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            other = POSTGRESQL_ONLY if connection.dialect.name == "sqlite" else SQLITE_ONLY

            def include_object(schema_object: object, name: str | None, *_: object) -> bool:
                table = getattr(getattr(schema_object, "table", None), "name", None)  # an index's
                return (name not in other and name not in SQLITE_ONLY  # FTS5's tables are not SQLAlchemy's
                        and not is_partition_object(name, table))  # PostgreSQL's month partitions (0012)

            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                   "include_object": include_object})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
