"""A migrated PostgreSQL database and a login role of the application's kind for it: neither the
tables' owner nor BYPASSRLS, granted what `assistant db grant` grants (docs/production.md,
"Row-level security"). For the tests that connect as the application would in production."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator

from sqlalchemy import text
from sqlalchemy.engine import make_url

from adapters.persistence import migrate
from adapters.persistence.app_role import grant_app_role
from adapters.persistence.engine import make_engine


@contextlib.contextmanager
def app_role_database(make_database: Callable[[], str]) -> Iterator[tuple[str, str]]:
    """(the owner's URL, the application role's URL); the role is dropped at the end."""
    owner_url = make_database()
    migrate.upgrade(owner_url)
    role = f"assistant_app_{uuid.uuid4().hex[:8]}"
    owner = make_engine(owner_url)
    with owner.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    grant_app_role(owner_url, role)
    try:
        yield owner_url, make_url(owner_url).set(username=role).render_as_string(hide_password=False)
    finally:
        with owner.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :role"),
                               {"role": role})
            connection.execute(text(f"DROP OWNED BY {role}"))  # its privileges on this database
            connection.execute(text(f"DROP ROLE {role}"))
        owner.dispose()
