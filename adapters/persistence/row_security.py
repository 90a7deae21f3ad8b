"""Row-level security's per-transaction settings (policies: migrations/versions/0011).

A transaction names who it acts for with two settings, local to the transaction (``set_config(...,
true)``, i.e. SET LOCAL): ``app.user_id``, the user whose rows it may see and write, and
``app.role``, ``admin`` or ``worker`` for the transactions that may see every user's rows (an
administrator's, once the use case has checked the role; the worker processing any user's
document). A transaction that names nobody sees none of the protected rows. SET LOCAL ends with
its transaction, so a pooled connection (PgBouncer in transaction mode included) never carries one
request's user into another's; a plain SET would.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Connection, text


class RowRole(StrEnum):
    ADMIN = "admin"
    WORKER = "worker"


SCOPE = text("SELECT set_config('app.user_id', :user_id, true), set_config('app.role', :role, true)")
SCOPE_PSYCOPG = "SELECT set_config('app.user_id', %(user_id)s, true), set_config('app.role', %(role)s, true)"


def scope_values(user_id: uuid.UUID | None, role: str | None) -> dict[str, str]:
    """The settings' values ('' for none: an empty setting matches no row)."""
    return {"user_id": str(user_id) if user_id is not None else "", "role": role or ""}


def act_as_worker(connection: Connection) -> None:
    """Name a transaction outside the unit of work a worker's, for set-wise work over every user's
    rows (retention's statements); nothing on SQLite."""
    if connection.dialect.name == "postgresql":
        connection.execute(SCOPE, scope_values(None, RowRole.WORKER))
