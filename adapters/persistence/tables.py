"""The relational schema as SQLAlchemy Core tables (migrations/versions must create exactly this).

Enums are stored as their string values; ids are UUIDs (native on PostgreSQL, CHAR(32) on SQLite);
datetimes go through UtcDateTime so they come back aware and in UTC on both databases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes in UTC. SQLite keeps naive UTC text (which sorts correctly)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the application stores aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Json = JSON().with_variant(JSONB(), "postgresql")
Money = Numeric(12, 6, asdecimal=False)


def _timestamps() -> list[Column[Any]]:
    return [Column("created_at", UtcDateTime(), nullable=False), Column("updated_at", UtcDateTime(), nullable=False)]


users = Table(
    "users",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("telegram_id", BigInteger(), nullable=True, unique=True),
    Column("email", String(320), nullable=True, unique=True),
    Column("username", Text(), nullable=True),
    Column("password_hash", Text(), nullable=True),
    Column("role", String(16), nullable=False),
    Column("tier", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("language", String(16), nullable=False),
    Column(
        "active_document_id",
        Uuid(),
        # users <-> documents is a cycle: the constraint is added after both tables exist.
        ForeignKey("documents.id", ondelete="SET NULL", use_alter=True,
                   name="fk_users_active_document_id_documents"),
        nullable=True,
        index=True,
    ),
    *_timestamps(),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("owner_id", Uuid(), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("filename", Text(), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("size", BigInteger(), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("storage_key", Text(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("error_code", String(64), nullable=True),
    Column("error_message", Text(), nullable=True),
    Column("page_count", Integer(), nullable=True),
    Column("progress_done", Integer(), nullable=False),
    Column("progress_total", Integer(), nullable=False),
    Column("extractor", String(32), nullable=True),
    Column("extractor_version", String(16), nullable=True),
    Column("notes", Text(), nullable=True),
    Column("thumbnail_key", Text(), nullable=True),
    *_timestamps(),
    Index("ix_documents_owner_created", "owner_id", "created_at", "id"),
    Index("ix_documents_owner_sha256", "owner_id", "sha256"),
    Index("ix_documents_status_updated", "status", "updated_at"),
)

# A document's whole extracted text, apart from its row: a list of documents (a library question,
# the documents page) then reads narrow rows (on SQLite, columns stored after a long text are
# reached only by walking its overflow pages).
document_texts = Table(
    "document_texts",
    metadata,
    Column("document_id", Uuid(), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("text", Text(), nullable=False),
)

chunks = Table(
    "chunks",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("document_id", Uuid(), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("ordinal", Integer(), nullable=False),
    Column("text", Text(), nullable=False),
    Column("locators", Json, nullable=False),
    Column("start", Integer(), nullable=False),
    Column("end", Integer(), nullable=False),
    Column("token_count", Integer(), nullable=False),
    UniqueConstraint("document_id", "ordinal", name="uq_chunks_document_ordinal"),
)

# conversations and analytics_events: on PostgreSQL partitioned by UTC month of created_at, with the
# primary key (id, created_at) there (migrations/versions/0012; docs/scaling.md, "Partitions"); the
# parents are described here, SQLite's plain tables exactly.
conversations = Table(
    "conversations",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("user_id", Uuid(), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("document_id", Uuid(), ForeignKey("documents.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("question", Text(), nullable=False),
    Column("answer", Text(), nullable=False),
    Column("citations", Json, nullable=False),
    Column("tokens_in", Integer(), nullable=False),
    Column("tokens_out", Integer(), nullable=False),
    Column("cost_usd", Money, nullable=False),
    Column("model", String(255), nullable=False),
    Column("latency_ms", Integer(), nullable=False),
    Column("cached", Boolean(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("thread_id", Uuid(), ForeignKey("threads.id", ondelete="CASCADE"), nullable=True),
    Index("ix_conversations_user_created", "user_id", "created_at"),
    Index("ix_conversations_thread_created", "thread_id", "created_at"),
    Index("ix_conversations_created", "created_at"),  # everyone's questions of a period (analytics' open days)
)

# Conversation threads (domain.threads): a turn is a conversations row naming its thread.
threads = Table(
    "threads",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("user_id", Uuid(), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("scope", String(16), nullable=False),
    Column("document_ids", Json, nullable=False),
    Column("title", Text(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_threads_user_updated", "user_id", "updated_at", "id"),
)

analytics_events = Table(
    "analytics_events",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("user_id", Uuid(), ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("type", String(64), nullable=False),
    Column("data", Json, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_analytics_events_user_created", "user_id", "created_at"),
    Index("ix_analytics_events_type_created", "type", "created_at"),
    Index("ix_analytics_events_created", "created_at"),
)

# Analytics rollups (adapters/persistence/repositories/usage_rollups.py): one row per closed UTC day,
# per user and for everyone, written by the worker's periodic job; the latency histogram is counts
# by domain.latency bucket index.
def _usage_columns() -> list[Column[Any]]:
    return [Column("questions", Integer(), nullable=False), Column("cached", Integer(), nullable=False),
            Column("tokens_in", BigInteger(), nullable=False), Column("tokens_out", BigInteger(), nullable=False),
            Column("cost_usd", Money, nullable=False), Column("latency_histogram", Json, nullable=False)]


usage_daily = Table(
    "usage_daily",
    metadata,
    Column("user_id", Uuid(), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date(), primary_key=True),
    *_usage_columns(),
)

usage_daily_global = Table(  # a row for every rolled-up day, zeros included: the days are contiguous
    "usage_daily_global",
    metadata,
    Column("day", Date(), primary_key=True),
    *_usage_columns(),
    Column("users", Integer(), nullable=False),  # distinct users who asked that day
)

usage_active_users = Table(  # each user's last rolled-up day with a question: distinct users of a period
    "usage_active_users",
    metadata,
    Column("user_id", Uuid(), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("last_day", Date(), nullable=False, index=True),
)

# Documents by kind and status for everyone without a scan: triggers on documents append +1/-1 rows
# to document_count_deltas, the periodic job folds them into document_counts (see
# adapters/persistence/repositories/document_counts.py); a count is the sum over both tables.
document_counts = Table(
    "document_counts",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("status", String(16), primary_key=True),
    Column("count", BigInteger(), nullable=False),
)

document_count_deltas = Table(
    "document_count_deltas",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("delta", Integer(), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("actor_id", Uuid(), nullable=True),  # no FK: the trail outlives the accounts it mentions
    Column("action", String(100), nullable=False),
    Column("target", Text(), nullable=False),
    Column("data", Json, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False, index=True),
    Column("client_address", String(64), nullable=True),
    Column("request_id", String(64), nullable=True),
    Index("ix_audit_log_actor_created", "actor_id", "created_at"),
    Index("ix_audit_log_action_created", "action", "created_at"),
    Index("ix_audit_log_target_created", "target", "created_at"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("user_id", Uuid(), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("hash", String(64), nullable=False),  # SHA-256 hex of the whole key; the key itself is never stored
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_used_at", UtcDateTime(), nullable=True),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Index("ix_api_keys_hash", "hash", unique=True),
    Index("ix_api_keys_user_created", "user_id", "created_at"),
)

# Login sessions (domain.sessions): one row per refresh token family. ``refresh_token_id`` is the
# only refresh token of the family still usable; access tokens name the session by its id.
sessions = Table(
    "sessions",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("user_id", Uuid(), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("refresh_token_id", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("refreshed_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Column("revoked_reason", String(32), nullable=True),
    Index("ix_sessions_user_created", "user_id", "created_at"),
)

# The search index (adapters.persistence.search). One row per indexed document: its language,
# the analyzer and embedding model it was indexed with and, when there is a model, every chunk's
# vector in one float16 matrix (a question reads one value per document, not one per chunk);
# ``version`` changes at each indexing, so a process's cache of the matrices knows when it is stale.
search_documents = Table(
    "search_documents",
    metadata,
    Column("document_id", Uuid(), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("language", String(8), nullable=False),
    Column("analyzer", String(32), nullable=False),
    Column("model", String(100), nullable=True),
    Column("dim", Integer(), nullable=True),
    Column("chunk_count", Integer(), nullable=False),
    Column("tokens", Integer(), nullable=False),
    Column("version", Uuid(), nullable=False),
    # last: SQLite reads the columns before a large value without walking its overflow pages
    Column("vectors", LargeBinary(), nullable=True),
)

# A chunk's analysed terms: a tsvector on PostgreSQL (GIN-indexed), text on SQLite (indexed by the
# FTS5 table search_fts, kept in step by triggers: see migrations/versions/0004_search_index.py).
search_chunks = Table(
    "search_chunks",
    metadata,
    # an INTEGER PRIMARY KEY on SQLite is the rowid itself, which VACUUM keeps: the FTS5 table points at it
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("document_id", Uuid(), ForeignKey("search_documents.document_id", ondelete="CASCADE"), nullable=False),
    Column("ordinal", Integer(), nullable=False),
    Column("terms", Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
    Column("length", Integer(), nullable=False),
    Column("boilerplate", Boolean(), nullable=False),
    UniqueConstraint("document_id", "ordinal", name="uq_search_chunks_document_ordinal"),
)
Index("ix_search_chunks_terms", search_chunks.c.terms, postgresql_using="gin",
      postgresql_with={"fastupdate": "off"}).ddl_if(dialect="postgresql")

# the boilerplate chunks only (migration 0012): a dense lookup reads a document's flags with its
# matrix. On SQLite the condition is spelt as SQLAlchemy renders the lookup's (``boilerplate = 1``):
# SQLite uses a partial index only for a query whose WHERE holds the index's condition as written.
Index("ix_search_chunks_boilerplate", search_chunks.c.document_id, search_chunks.c.ordinal,
      sqlite_where=search_chunks.c.boilerplate == true(), postgresql_where=search_chunks.c.boilerplate)

SQLITE_ONLY = frozenset({"search_fts", "search_fts_data", "search_fts_idx", "search_fts_docsize", "search_fts_config",
                         "search_vocab"})
POSTGRESQL_ONLY = frozenset({"ix_search_chunks_terms"})
