"""Migrations 0010 (the audit log's origin columns, filter indexes and, on PostgreSQL, its
append-only trigger) and 0011 (row-level security policies, PostgreSQL only) down and up again on
SQLite and PostgreSQL with an entry in the log: the entry survives both ways."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import inspect, text

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from tests.integration import test_migrations

database_url = test_migrations.database_url
AUDIT = sa.table("audit_log", sa.column("id", sa.Uuid()), sa.column("actor_id", sa.Uuid()),
                 sa.column("action", sa.String()), sa.column("target", sa.Text()), sa.column("data", sa.JSON()),
                 sa.column("created_at", sa.DateTime(timezone=True)))


def _state(url: str) -> dict[str, object]:
    engine = make_engine(url)
    try:
        inspector = inspect(engine)
        state: dict[str, object] = {
            "columns": {c["name"] for c in inspector.get_columns("audit_log")} & {"client_address", "request_id"},
            "indexes": {ix["name"] for ix in inspector.get_indexes("audit_log")} & {
                "ix_audit_log_actor_created", "ix_audit_log_action_created", "ix_audit_log_target_created"}}
        with engine.connect() as connection:
            state["entries"] = connection.execute(sa.select(AUDIT.c.target)).scalars().all()
            if engine.dialect.name == "postgresql":
                state["trigger"] = connection.execute(text(
                    "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_log_append_only'")).scalar_one()
                state["policies"] = connection.execute(text(  # on tables; partitions (0012) copy their parent's
                    "SELECT count(*) FROM pg_policy JOIN pg_class ON pg_class.oid = polrelid "
                    "WHERE NOT relispartition")).scalar_one()
                state["rls"] = sorted(connection.execute(text(
                    "SELECT relname FROM pg_class WHERE relrowsecurity AND NOT relispartition")).scalars())
        return state
    finally:
        engine.dispose()


def test_audit_and_row_security_revisions_go_down_and_up(database_url: str) -> None:
    migrate.upgrade(database_url, "0009")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(AUDIT.insert().values(id=uuid.uuid4(), actor_id=None, action="set_tier", target="kept",
                                                 data={}, created_at=datetime.now(UTC)))
    postgres = engine.dialect.name == "postgresql"
    engine.dispose()
    before = _state(database_url)
    assert before["columns"] == before["indexes"] == set() and before["entries"] == ["kept"]
    migrate.upgrade(database_url)
    after = _state(database_url)
    assert after["columns"] == {"client_address", "request_id"} and len(after["indexes"]) == 3  # type: ignore[arg-type]
    assert after["entries"] == ["kept"]
    if postgres:
        assert (after["trigger"], after["policies"]) == (1, 7)
        assert after["rls"] == sorted(["documents", "document_texts", "chunks", "search_documents", "search_chunks",
                                       "conversations", "threads"])
    migrate.downgrade(database_url, "0009")
    assert _state(database_url) == before
    if postgres:
        assert (before["trigger"], before["policies"], before["rls"]) == (0, 0, [])
