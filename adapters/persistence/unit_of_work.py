"""The SQLAlchemy unit of work: one connection and one transaction per ``with`` block."""

from __future__ import annotations

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
from adapters.persistence.search import PostgresSearchIndex, SqliteSearchIndex
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
    """

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self._engine = engine
        self._read_only = read_only
        self._autocommit = read_only and engine.dialect.name == "postgresql"
        self._connection: Connection | None = None
        self.users = SqlAlchemyUserRepository(self._current)
        self.documents = SqlAlchemyDocumentRepository(self._current)
        self.chunks = SqlAlchemyChunkRepository(self._current)
        self.conversations = SqlAlchemyConversationRepository(self._current)
        self.events = SqlAlchemyAnalyticsRepository(self._current)
        self.audit = SqlAlchemyAuditLog(self._current)
        self.api_keys = SqlAlchemyApiKeyRepository(self._current)
        self.sessions = SqlAlchemySessionRepository(self._current)
        self.threads = SqlAlchemyThreadRepository(self._current)
        search = PostgresSearchIndex if engine.dialect.name == "postgresql" else SqliteSearchIndex
        self.search = search(self._current)

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

    def rollback(self) -> None:
        self._current().rollback()

    def _current(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("repository used outside its unit of work (use `with uow:`)")
        return self._connection
