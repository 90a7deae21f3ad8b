"""QuestionStore and DocumentPages on PostgreSQL: psycopg's async driver on the event loop, with
group commit.

The user and the documents (asked for by id, or a page of the user's) come back in one statement. Answers being recorded at the same moment
share one transaction: the first caller opens it, callers arriving while it commits wait for the
next one, and every caller returns only once its rows are committed (durable, as with a commit of
its own). Under load this turns many small commits into few larger ones; in bench.api (2 processes,
64 connections) the cached question went from ~1,200 req/s with a commit per answer to ~1,650.
When a shared transaction fails, its entries are written again one by one, so one bad entry fails
its own request only.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg
import psycopg_pool
import structlog
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Table
from sqlalchemy.engine import make_url

from adapters.persistence.repositories.base import row_values
from adapters.persistence.repositories.conversations import conversation_row
from adapters.persistence.repositories.documents import READ_COLUMNS, document_from_row
from adapters.persistence.repositories.users import user_from_row
from adapters.persistence.row_security import SCOPE_PSYCOPG, RowRole, scope_values
from adapters.persistence.tables import analytics_events, conversations, users
from adapters.persistence.unit_of_work import database_unavailable
from domain.analytics import AnalyticsEvent
from domain.conversations import Conversation
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.users import User

log = structlog.get_logger(__name__)

POOL_MAX = 20
CONNECT_TIMEOUT_SECONDS = 5.0  # waiting for a pooled connection: then 503 (the database is not answering)
_USER_COLUMNS = [c.name for c in users.c]
_DOCUMENT_COLUMNS = [c.name for c in READ_COLUMNS]
_SELECT_USER_AND_DOCUMENTS = "SELECT " + ", ".join(
    [f"u.{c} AS u_{c}" for c in _USER_COLUMNS] + [f"d.{c} AS d_{c}" for c in _DOCUMENT_COLUMNS])
_ASKER_AND_DOCUMENTS = (_SELECT_USER_AND_DOCUMENTS
                        + " FROM users u LEFT JOIN documents d ON d.id = ANY(%(document_ids)s) WHERE u.id = %(user_id)s")


@functools.cache
def _owner_and_page(status: bool, kind: bool, before: bool, name: bool = False) -> str:
    """The statement for a page with these filters: newest first, (created_at, id) keyset paging
    on ix_documents_owner_created, as SqlAlchemyDocumentRepository.list_for_owner pages."""
    where = ["owner_id = u.id"]
    where += ["status = %(status)s"] if status else []
    where += ["kind = %(kind)s"] if kind else []
    where += ["lower(filename) LIKE %(name)s ESCAPE '/'"] if name else []
    where += ["(created_at, id) < (%(before_created)s, %(before_id)s)"] if before else []
    page = (f"SELECT {', '.join(_DOCUMENT_COLUMNS)} FROM documents WHERE {' AND '.join(where)}"
            " ORDER BY created_at DESC, id DESC LIMIT %(limit)s")
    return f"{_SELECT_USER_AND_DOCUMENTS} FROM users u LEFT JOIN LATERAL ({page}) d ON true WHERE u.id = %(user_id)s"


def _insert(table: Table) -> tuple[str, frozenset[str]]:
    columns = [c.name for c in table.c]
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join(f'%({c})s' for c in columns)})")
    return sql, frozenset(c.name for c in table.c if isinstance(c.type, JSON))


_UNREACHABLE = (psycopg.OperationalError, psycopg_pool.PoolTimeout)
_INSERTS = {name: _insert(table) for name, table in (("conversation", conversations), ("event", analytics_events))}


class PostgresAsyncStore:
    """Implements application.ports.question_store.QuestionStore and
    application.ports.document_pages.DocumentPages. ``await start()`` in the event loop that will
    use it (the API's lifespan), ``await close()`` at the end."""

    def __init__(self, database_url: str, *, max_size: int = POOL_MAX, timeout: float = CONNECT_TIMEOUT_SECONDS,
                 row_security: bool = False, transaction_pooler: bool = False) -> None:
        conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        # autocommit: the read is one statement; the writes open their own transaction. UTC, so
        # timestamps come back in UTC as the SQLAlchemy repositories return them. Behind a pooler in
        # transaction mode (PgBouncer refuses the `options` startup parameter and moves a client
        # between server connections): no prepared statements, and the database's own time zone,
        # which docs/scaling.md asks to be UTC
        options = {"prepare_threshold": None} if transaction_pooler else {"options": "-c TimeZone=UTC"}
        self._pool = psycopg_pool.AsyncConnectionPool(
            conninfo, min_size=min(2, max_size), max_size=max_size, open=False, timeout=timeout,
            kwargs={"autocommit": True, **options}, name="async-store")
        self._pending: list[tuple[list[tuple[str, dict[str, Any]]], asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.transactions = 0  # committed write transactions (group commit makes fewer than records)
        # row-level security (adapters.persistence.row_security): a read runs in a transaction that
        # acts for its user (SET LOCAL needs one), pipelined; a group commit carries several users'
        # answers, already checked by QueryDocument, so it writes with the trusted worker role
        self._row_security = row_security

    async def start(self) -> None:
        await self._pool.open(wait=False)  # connects in the background: a database down at start is a 503 later

    async def close(self) -> None:
        if self._flusher is not None:
            await asyncio.shield(self._flusher)
        await self._pool.close()

    async def asker_and_documents(self, user_id: uuid.UUID, document_ids: Sequence[uuid.UUID],
                                  ) -> tuple[User | None, list[Document]]:
        return await self._user_and_documents(_ASKER_AND_DOCUMENTS,
                                              {"user_id": user_id, "document_ids": list(document_ids)})

    async def owner_and_page(self, user_id: uuid.UUID, *, status: DocumentStatus | None = None,
                             kind: DocumentKind | None = None, limit: int = 50,
                             before: tuple[datetime, uuid.UUID] | None = None,
                             filename_contains: str | None = None,
                             ) -> tuple[User | None, list[Document]]:
        params: dict[str, Any] = {"user_id": user_id, "limit": limit,
                                  "status": status.value if status else None, "kind": kind.value if kind else None}
        if before is not None:
            params["before_created"], params["before_id"] = before
        if filename_contains:  # as SQLAlchemy's contains(autoescape=True) escapes it, with '/'
            escaped = filename_contains.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
            params["name"] = f"%{escaped}%"
        statement = _owner_and_page(status is not None, kind is not None, before is not None, bool(filename_contains))
        return await self._user_and_documents(statement, params)

    async def _user_and_documents(self, statement: str, params: dict[str, Any]) -> tuple[User | None, list[Document]]:
        try:
            async with self._pool.connection() as connection:
                if self._row_security:
                    async with connection.pipeline(), connection.transaction(), \
                            connection.cursor(row_factory=dict_row) as cursor:
                        await connection.execute(SCOPE_PSYCOPG, scope_values(params["user_id"], None))
                        await cursor.execute(statement, params)
                        rows = await cursor.fetchall()
                else:
                    async with connection.cursor(row_factory=dict_row) as cursor:
                        await cursor.execute(statement, params)
                        rows = await cursor.fetchall()
        except _UNREACHABLE as error:
            raise _mapped(error) from error
        if not rows:
            return None, []
        user = user_from_row({c: rows[0][f"u_{c}"] for c in _USER_COLUMNS})
        return user, [document_from_row({c: row[f"d_{c}"] for c in _DOCUMENT_COLUMNS})
                      for row in rows if row["d_id"] is not None]

    async def record(self, conversation: Conversation | None, event: AnalyticsEvent) -> None:
        rows = [("event", row_values(event))]
        if conversation is not None:
            rows.insert(0, ("conversation", conversation_row(conversation)))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((rows, done))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())
        await asyncio.shield(done)  # a cancelled request does not cancel the others' transaction

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    await self._write([row for rows, _ in batch for row in rows])
                    outcomes: list[BaseException | None] = [None] * len(batch)
                except Exception as error:  # an outage fails them all at once; bad data is found entry by entry
                    alone = len(batch) > 1 and not isinstance(error, _UNREACHABLE)
                    outcomes = [await self._write_alone(rows) for rows, _ in batch] if alone else [error] * len(batch)
                for (_, done), outcome in zip(batch, outcomes, strict=True):
                    if outcome is None:
                        done.set_result(None)
                    else:
                        done.set_exception(_mapped(outcome))
        finally:
            self._flusher = None

    async def _write_alone(self, rows: list[tuple[str, dict[str, Any]]]) -> BaseException | None:
        try:
            await self._write(rows)
        except Exception as error:
            return error
        return None

    async def _write(self, rows: list[tuple[str, dict[str, Any]]]) -> None:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for kind, values in rows:
            json_columns = _INSERTS[kind][1]
            grouped.setdefault(kind, []).append(
                {k: Jsonb(v) if k in json_columns else v for k, v in values.items()})
        # pipeline mode: BEGIN, the inserts and COMMIT go out together, one round trip in all
        async with (self._pool.connection() as connection, connection.pipeline(), connection.transaction(),
                    connection.cursor() as cursor):
            if self._row_security:
                await cursor.execute(SCOPE_PSYCOPG, scope_values(None, RowRole.WORKER))
            for kind, params in grouped.items():
                await cursor.executemany(_INSERTS[kind][0], params)
        self.transactions += 1


def _mapped(error: BaseException) -> BaseException:
    return database_unavailable(error) if isinstance(error, _UNREACHABLE) else error
