"""Analytics that do not scan: daily usage rollups (per user, for everyone, each user's last active
day), document counts kept by triggers, and indexes leading with created_at.

The rollups start empty: the worker's periodic job fills the closed days (reports read the days it
has not rolled up yet from the conversations themselves, so they are right before it runs).
document_counts starts from the documents present now. The triggers are plain SQL per dialect;
SQLite drops a table's triggers when the table is rebuilt, so a later revision that alters
documents in batch mode must create them again (``create_triggers`` below).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_EVENTS = {"insert": "AFTER INSERT", "update": "AFTER UPDATE OF kind, status", "delete": "AFTER DELETE"}


def _usage_columns() -> list[sa.Column]:
    return [sa.Column("questions", sa.Integer(), nullable=False), sa.Column("cached", sa.Integer(), nullable=False),
            sa.Column("tokens_in", sa.BigInteger(), nullable=False),
            sa.Column("tokens_out", sa.BigInteger(), nullable=False),
            sa.Column("cost_usd", sa.Numeric(12, 6), nullable=False),
            sa.Column("latency_histogram", _JSON, nullable=False)]


def upgrade() -> None:
    op.create_index("ix_conversations_created", "conversations", ["created_at"])
    op.create_index("ix_analytics_events_created", "analytics_events", ["created_at"])
    op.create_table(
        "usage_daily",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *_usage_columns(),
        sa.PrimaryKeyConstraint("user_id", "day", name="pk_usage_daily"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_usage_daily_user_id_users", ondelete="CASCADE"),
    )
    op.create_table(
        "usage_daily_global",
        sa.Column("day", sa.Date(), nullable=False),
        *_usage_columns(),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_usage_daily_global"),
    )
    op.create_table(
        "usage_active_users",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_usage_active_users"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_usage_active_users_user_id_users",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_usage_active_users_last_day", "usage_active_users", ["last_day"])
    op.create_table(
        "document_counts",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "status", name="pk_document_counts"),
    )
    op.create_table(
        "document_count_deltas",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document_count_deltas"),
    )
    if op.get_bind().dialect.name == "postgresql":  # queue-like tables: vacuumed after every thousand changes,
        # not after a fifth of the table (the job deletes every delta it folds, updates last days in bulk)
        for table in ("document_count_deltas", "usage_active_users"):
            op.execute(f"ALTER TABLE {table} SET (autovacuum_vacuum_scale_factor = 0, "
                       "autovacuum_vacuum_threshold = 1000)")
    create_triggers()  # first: on PostgreSQL its lock holds writers of documents off until the commit
    op.execute("INSERT INTO document_counts (kind, status, count) "
               "SELECT kind, status, count(*) FROM documents GROUP BY kind, status")


def create_triggers() -> None:
    """+1 for a new row's (kind, status), -1 for an old one's, on every insert, delete and change."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION document_count_delta() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND NEW.kind = OLD.kind AND NEW.status = OLD.status THEN
                    RETURN NULL;
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    INSERT INTO document_count_deltas (kind, status, delta) VALUES (OLD.kind, OLD.status, -1);
                END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') THEN
                    INSERT INTO document_count_deltas (kind, status, delta) VALUES (NEW.kind, NEW.status, 1);
                END IF;
                RETURN NULL;
            END $$""")
        for name, event in _EVENTS.items():
            op.execute(f"CREATE TRIGGER documents_count_{name} {event} ON documents "
                       "FOR EACH ROW EXECUTE FUNCTION document_count_delta()")
        return
    old = "INSERT INTO document_count_deltas (kind, status, delta) VALUES (OLD.kind, OLD.status, -1);"
    new = "INSERT INTO document_count_deltas (kind, status, delta) VALUES (NEW.kind, NEW.status, 1);"
    op.execute(f"CREATE TRIGGER documents_count_insert AFTER INSERT ON documents BEGIN {new} END")
    op.execute(f"CREATE TRIGGER documents_count_delete AFTER DELETE ON documents BEGIN {old} END")
    op.execute("CREATE TRIGGER documents_count_update AFTER UPDATE OF kind, status ON documents "
               f"WHEN NEW.kind IS NOT OLD.kind OR NEW.status IS NOT OLD.status BEGIN {old} {new} END")


def downgrade() -> None:
    for name in _EVENTS:
        op.execute(f"DROP TRIGGER IF EXISTS documents_count_{name}" +
                   (" ON documents" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS document_count_delta()")
    op.drop_table("document_count_deltas")
    op.drop_table("document_counts")
    op.drop_index("ix_usage_active_users_last_day", table_name="usage_active_users")
    op.drop_table("usage_active_users")
    op.drop_table("usage_daily_global")
    op.drop_table("usage_daily")
    op.drop_index("ix_analytics_events_created", table_name="analytics_events")
    op.drop_index("ix_conversations_created", table_name="conversations")
