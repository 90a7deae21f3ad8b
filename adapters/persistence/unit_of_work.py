"""The SQLAlchemy unit of work: one connection and one transaction per ``with`` block."""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from adapters.persistence.repositories import (
    SqlAlchemyAnalyticsRepository,
    SqlAlchemyApiKeyRepository,
    SqlAlchemyAuditLog,
    SqlAlchemyChunkRepository,
    SqlAlchemyConversationRepository,
    SqlAlchemyDocumentRepository,
    SqlAlchemySessionRepository,
    SqlAlchemyThreadRepository,
    SqlAlchemyUserRepository,
)
from adapters.persistence.repositories.accounts import SqlAlchemyAccountMerge
from adapters.persistence.row_security import SCOPE, RowRole, scope_values
from adapters.persistence.search import PostgresSearchIndex, SqliteSearchIndex
from application.ports.request_context import RequestContext
from application.ports.unit_of_work import DatabaseUnavailable


def database_unavailable(error: BaseException) -> DatabaseUnavailable:
    """A database that cannot be reached is an outage (HTTP 503, CLI exit 75, a job retried), not a
    crash; ``error`` is kept as the cause."""
    unavailable = DatabaseUnavailable("The database is not answering right now; please try again in a minute.",
                                      service="database")
    unavailable.__cause__ = error
    return unavailable


class SqlAlchemyUnitOfWork:
    """``with uow:`` opens a connection and begins; leaving without ``commit()`` rolls back.

    ``commit()`` and ``rollback()`` end the current transaction and the next statement begins a
    new one, so the block can go on (e.g. after an IntegrityError and a rollback). The instance can
    be entered again after it is left, but not while it is in use, and by one thread at a time.

    ``read_only=True``: for use cases that only read; ``commit()`` is refused. On PostgreSQL no
    transaction is opened (AUTOCOMMIT: each statement on its own), which saves the BEGIN and
    ROLLBACK round trips; under READ COMMITTED, PostgreSQL's level, every statement of a transaction
    takes a fresh snapshot anyway, so a reader sees the same as it would in a transaction. SQLite
    keeps its transaction (its connections are set up for SQLAlchemy-driven BEGIN, see engine).

    ``row_security=True`` (PostgreSQL, ``database.row_security``): each transaction first names who
    it acts for (adapters.persistence.row_security): ``role`` (a process's standing role, e.g.
    ``worker``) from the start, the user once a use case calls ``act_for``, ``admin`` once it calls
    ``act_as_admin``. The settings are sent lazily, with the transaction's first statement after a
    change or a commit, in one extra statement per transaction; a read-only unit of work then keeps
    its transaction, since SET LOCAL outside one lasts a single statement.

    ``context``: where the request being served came from, stamped on the audit entries appended.
    """

    def __init__(self, engine: Engine, *, read_only: bool = False, context: RequestContext | None = None,
                 row_security: bool = False, role: str | None = None) -> None:
        self._engine = engine
        self._read_only = read_only
        self._row_security = row_security and engine.dialect.name == "postgresql"
        self._autocommit = read_only and engine.dialect.name == "postgresql" and not self._row_security
        self._standing_role = RowRole(role).value if role else None
        self._acting: uuid.UUID | None = None
        self._role = self._standing_role
        self._scope_sent = False
        self._connection: Connection | None = None
        self.users = SqlAlchemyUserRepository(self._current)
        self.documents = SqlAlchemyDocumentRepository(self._current)
        self.chunks = SqlAlchemyChunkRepository(self._current)
        self.conversations = SqlAlchemyConversationRepository(self._current)
        self.events = SqlAlchemyAnalyticsRepository(self._current)
        self.audit = SqlAlchemyAuditLog(self._current, context)
        self.api_keys = SqlAlchemyApiKeyRepository(self._current)
        self.sessions = SqlAlchemySessionRepository(self._current)
        self.threads = SqlAlchemyThreadRepository(self._current)
        search = PostgresSearchIndex if engine.dialect.name == "postgresql" else SqliteSearchIndex
        self.search = search(self._current)
        self.accounts = SqlAlchemyAccountMerge(self._current)

    def __enter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already in use; nested `with` blocks are not supported")
        try:
            connection = self._engine.connect()
        except OperationalError as error:
            raise database_unavailable(error) from error
        try:
            if self._autocommit:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            else:
                connection.begin()
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        self._acting, self._role, self._scope_sent = None, self._standing_role, False
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.rollback()
        finally:
            connection.close()
        if isinstance(exc, OperationalError) and exc.connection_invalidated:
            raise database_unavailable(exc) from exc  # the connection broke under the block: the database went away

    def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self._current().commit()
        self._scope_sent = False

    def rollback(self) -> None:
        self._current().rollback()
        self._scope_sent = False

    def act_for(self, user_id: uuid.UUID) -> None:
        """Row-level security: the rest of this block acts for ``user_id`` (a no-op without it)."""
        if self._acting != user_id:
            self._acting, self._scope_sent = user_id, False

    def act_as_admin(self) -> None:
        """Row-level security: the rest of this block may see every user's rows; called by the use
        cases once they have checked that the actor is an administrator."""
        if self._role != RowRole.ADMIN:
            self._role, self._scope_sent = RowRole.ADMIN.value, False

    def _current(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("repository used outside its unit of work (use `with uow:`)")
        if self._row_security and not self._scope_sent:
            self._scope_sent = True  # first: the statement below goes through this connection too
            self._connection.execute(SCOPE, scope_values(self._acting, self._role))
        return self._connection
