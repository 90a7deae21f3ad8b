"""The search index: per-document state and vectors, per-chunk analysed terms; on PostgreSQL a
GIN index over the terms' tsvector, on SQLite an FTS5 table kept in step with search_chunks by
triggers (external content: the terms are stored once, in search_chunks).

Documents processed before this revision have no index rows: they answer as before (their
chunks ranked in memory) until ``assistant reindex`` or a worker indexes them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='search_chunks', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')",  # each term's chunk count
    "CREATE TRIGGER search_chunks_ai AFTER INSERT ON search_chunks BEGIN "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER search_chunks_ad AFTER DELETE ON search_chunks BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER search_chunks_au AFTER UPDATE ON search_chunks BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "search_documents",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("analyzer", sa.String(32), nullable=False),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("dim", sa.Integer(), nullable=True),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("version", sa.Uuid(), nullable=False),
        sa.Column("vectors", sa.LargeBinary(), nullable=True),  # last: see adapters.persistence.tables
        sa.PrimaryKeyConstraint("document_id", name="pk_search_documents"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_search_documents_document_id_documents",
                                ondelete="CASCADE"),
    )
    op.create_table(
        "search_chunks",
        sa.Column("id", sa.Integer() if not postgres else sa.BigInteger(), nullable=False, autoincrement=True),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("terms", postgresql.TSVECTOR() if postgres else sa.Text(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("boilerplate", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_chunks"),
        sa.UniqueConstraint("document_id", "ordinal", name="uq_search_chunks_document_ordinal"),
        sa.ForeignKeyConstraint(["document_id"], ["search_documents.document_id"],
                                name="fk_search_chunks_document_id_search_documents", ondelete="CASCADE"),
    )
    if postgres:
        # no pending list (fastupdate off): a document's terms go into the index as it is indexed, so
        # the planner prices the index right and uses it before any VACUUM has merged a pending list
        op.create_index("ix_search_chunks_terms", "search_chunks", ["terms"], postgresql_using="gin",
                        postgresql_with={"fastupdate": "off"})
    else:
        for statement in _SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_search_chunks_terms", table_name="search_chunks")
    else:
        for trigger in ("search_chunks_au", "search_chunks_ad", "search_chunks_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_vocab")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_chunks")
    op.drop_table("search_documents")
