"""A document's extracted text moves from its row to document_texts (one row per document): lists
of documents read narrow rows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_texts",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_document_texts"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_document_texts_document_id_documents",
                                ondelete="CASCADE"),
    )
    op.execute("INSERT INTO document_texts (document_id, text) "
               "SELECT id, extracted_text FROM documents WHERE extracted_text IS NOT NULL")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("extracted_text")


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("extracted_text", sa.Text(), nullable=True))
    op.execute("UPDATE documents SET extracted_text = "
               "(SELECT text FROM document_texts WHERE document_texts.document_id = documents.id)")
    op.drop_table("document_texts")
