"""Conversation threads: a threads table, and conversations.thread_id naming each turn's thread.

Every existing conversation becomes a one-turn thread: its scope the document it was asked about
(or the library when it names none), its title the question's first 80 characters, its times the
question's. Downgrading drops the threads and keeps every conversation.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TITLE_CHARS = 80  # domain.threads.TITLE_CHARS when this revision was written
_BATCH = 1000
_CONVERSATIONS = sa.table("conversations", sa.column("id", sa.Uuid()), sa.column("user_id", sa.Uuid()),
                          sa.column("document_id", sa.Uuid()), sa.column("question", sa.Text()),
                          sa.column("created_at", sa.DateTime(timezone=True)), sa.column("thread_id", sa.Uuid()))
_THREADS = sa.table("threads", sa.column("id", sa.Uuid()), sa.column("user_id", sa.Uuid()),
                    sa.column("scope", sa.String()), sa.column("document_ids", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")), sa.column("title", sa.Text()),
                    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)))


def upgrade() -> None:
    op.create_table(
        "threads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("document_ids", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_threads"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_threads_user_id_users", ondelete="CASCADE"),
    )
    op.create_index("ix_threads_user_updated", "threads", ["user_id", "updated_at", "id"])
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("thread_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key("fk_conversations_thread_id_threads", "threads", ["thread_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_index("ix_conversations_thread_created", ["thread_id", "created_at"])
    _one_turn_threads()


def _one_turn_threads() -> None:
    connection = op.get_bind()
    while True:
        rows = connection.execute(sa.select(_CONVERSATIONS.c.id, _CONVERSATIONS.c.user_id, _CONVERSATIONS.c.document_id,
                                            _CONVERSATIONS.c.question, _CONVERSATIONS.c.created_at)
                                  .where(_CONVERSATIONS.c.thread_id.is_(None)).limit(_BATCH)).all()
        if not rows:
            return
        threads, links = [], []
        for row in rows:
            thread_id = uuid.uuid4()
            threads.append({"id": thread_id, "user_id": row.user_id,
                            "scope": "document" if row.document_id else "library",
                            "document_ids": [str(row.document_id)] if row.document_id else [],
                            "title": _title(row.question), "created_at": row.created_at, "updated_at": row.created_at})
            links.append({"conversation": row.id, "thread": thread_id})
        connection.execute(_THREADS.insert(), threads)
        connection.execute(_CONVERSATIONS.update().where(_CONVERSATIONS.c.id == sa.bindparam("conversation"))
                           .values(thread_id=sa.bindparam("thread")), links)


def _title(question: str) -> str:
    text = " ".join(question.split())
    if len(text) <= TITLE_CHARS:
        return text
    return (text[:TITLE_CHARS].rsplit(" ", 1)[0] or text[:TITLE_CHARS]).rstrip(",.;:") + "…"


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index("ix_conversations_thread_created")
        batch.drop_constraint("fk_conversations_thread_id_threads", type_="foreignkey")
        batch.drop_column("thread_id")
    op.drop_index("ix_threads_user_updated", table_name="threads")
    op.drop_table("threads")
