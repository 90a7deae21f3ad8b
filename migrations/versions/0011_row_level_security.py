"""Row-level security on PostgreSQL: documents, their texts and chunks, the search index's rows,
conversations and threads are visible only to the user the transaction acts for, or to every
administrator and worker transaction.

Defence in depth behind the use cases' ownership checks. The unit of work names who a transaction
acts for with ``set_config('app.user_id', ..., true)`` and ``set_config('app.role', ..., true)``
(local to the transaction, so safe behind PgBouncer in transaction mode; see
adapters/persistence/row_security.py); a transaction that names nobody sees none of these rows.
Policies bind only roles that neither own the tables nor have BYPASSRLS: the application's role
must be such a role (docs/production.md, "Row-level security"); the owner that runs the migrations
is not bound (RLS is enabled, not forced), so migrations, backups and operators' maintenance see
everything. Referential actions (ON DELETE CASCADE) are not bound by policies either. SQLite has no
row-level security: nothing changes there.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRUSTED = "current_setting('app.role', true) IN ('admin', 'worker')"
_ACTING = "nullif(current_setting('app.user_id', true), '')::uuid"
# uncorrelated, so PostgreSQL hashes the user's document ids once per statement instead of looking
# a document up for every chunk or index row it filters
_OWN_DOCUMENT = f"document_id IN (SELECT documents.id FROM documents WHERE documents.owner_id = {_ACTING})"
# table -> who may see a row besides the trusted roles (the same condition checks rows written)
POLICIES = {
    "documents": f"owner_id = {_ACTING}",
    "document_texts": _OWN_DOCUMENT,
    "chunks": _OWN_DOCUMENT,
    "search_documents": _OWN_DOCUMENT,
    "search_chunks": _OWN_DOCUMENT,
    "conversations": f"user_id = {_ACTING}",
    "threads": f"user_id = {_ACTING}",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, condition in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_acting_user ON {table} USING ({_TRUSTED} OR {condition})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in reversed(POLICIES):
        op.execute(f"DROP POLICY {table}_acting_user ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
