"""The application's PostgreSQL role: the privileges it gets, granted by the tables' owner.

Row-level security (migration 0011) binds only roles that neither own the tables nor have
BYPASSRLS, so the processes must not connect as the owner that runs the migrations. The owner
creates a plain login role once (``CREATE ROLE assistant_app LOGIN PASSWORD '...'``: no
SUPERUSER, no BYPASSRLS, which are the defaults) and grants it, after every migration, what
``grant_app_role`` grants: reading and writing the tables, except that the audit log may only be
read and appended to (no UPDATE, DELETE or TRUNCATE: with migration 0010's trigger, the trail is
append-only twice over) and the migrations' own table may only be read, and executing the
functions, among them migration 0012's partition upkeep and drop (SECURITY DEFINER: they run as
the owner, who alone may create and drop partitions). See docs/production.md, "Row-level security"."""

from __future__ import annotations

import re

from sqlalchemy import text

from adapters.persistence.engine import make_engine

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(role: str) -> list[str]:
    """The GRANT/REVOKE statements for ``role`` (idempotent: safe to run after every migration)."""
    if not _ROLE.match(role):
        raise ValueError(f"not a plain role name (lower-case letters, digits, _): {role!r}")
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}",  # migration 0012's partition upkeep
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}",
    ]


def grant_app_role(url: str, role: str) -> None:
    """Run the grants on the database at ``url`` (connected as the tables' owner)."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            for statement in grant_statements(role):
                connection.execute(text(statement))
    finally:
        engine.dispose()
