"""A partial index of the search index's boilerplate chunks (cover pages, signatures,
certifications ...): a dense lookup that reads a document's matrix also reads which of its chunks
are boilerplate, and without this index that was a scan of every index row of the question's
documents (a cold whole-library question on 100 documents: 11-17 ms of CPU on SQLite, a scan of
the table's 18 MB on PostgreSQL). With it, the few flagged rows only.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_search_chunks_boilerplate", "search_chunks", ["document_id", "ordinal"],
                    sqlite_where=sa.text("boilerplate = 1"), postgresql_where=sa.text("boilerplate"))


def downgrade() -> None:
    op.drop_index("ix_search_chunks_boilerplate", table_name="search_chunks")
