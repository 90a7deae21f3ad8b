"""Conversation threads; their turns are the conversations rows that name them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import RowMapping, func, select, tuple_

from adapters.persistence.repositories.base import SqlAlchemyRepository
from adapters.persistence.repositories.conversations import conversation_from_row
from adapters.persistence.tables import conversations, threads
from domain.conversations import Conversation
from domain.threads import Thread, ThreadScope


class SqlAlchemyThreadRepository(SqlAlchemyRepository):
    def add(self, thread: Thread) -> None:
        self._conn.execute(threads.insert().values(**_row(thread)))

    def get(self, thread_id: uuid.UUID) -> Thread | None:
        row = self._conn.execute(select(threads).where(threads.c.id == thread_id)).mappings().one_or_none()
        return _thread(row) if row is not None else None

    def update(self, thread: Thread) -> None:
        self._conn.execute(threads.update().where(threads.c.id == thread.id)
                           .values(title=thread.title, updated_at=thread.updated_at))

    def delete(self, thread_id: uuid.UUID) -> None:
        self._conn.execute(conversations.delete().where(conversations.c.thread_id == thread_id))  # SQLite: no FK
        self._conn.execute(threads.delete().where(threads.c.id == thread_id))  # enforcement without the pragma

    def list_for_user(self, user_id: uuid.UUID, *, limit: int = 50,
                      before: tuple[datetime, uuid.UUID] | None = None) -> list[Thread]:
        query = select(threads).where(threads.c.user_id == user_id)
        if before is not None:
            query = query.where(tuple_(threads.c.updated_at, threads.c.id) < tuple_(*before))
        query = query.order_by(threads.c.updated_at.desc(), threads.c.id.desc()).limit(limit)
        return [_thread(row) for row in self._conn.execute(query).mappings()]

    def turn_counts(self, thread_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        counts = dict.fromkeys(thread_ids, 0)
        if thread_ids:
            query = (select(conversations.c.thread_id, func.count()).where(conversations.c.thread_id.in_(thread_ids))
                     .group_by(conversations.c.thread_id))
            counts.update({thread_id: int(n) for thread_id, n in self._conn.execute(query)})
        return counts

    def turns(self, thread_id: uuid.UUID, *, last: int | None = None) -> list[Conversation]:
        query = (select(conversations).where(conversations.c.thread_id == thread_id)
                 .order_by(conversations.c.created_at.desc(), conversations.c.id.desc()))
        if last is not None:
            query = query.limit(last)
        return [conversation_from_row(row) for row in self._conn.execute(query).mappings()][::-1]


def _row(thread: Thread) -> dict[str, object]:
    return {"id": thread.id, "user_id": thread.user_id, "scope": thread.scope.value,
            "document_ids": [str(d) for d in thread.document_ids], "title": thread.title,
            "created_at": thread.created_at, "updated_at": thread.updated_at}


def _thread(row: RowMapping) -> Thread:
    return Thread(id=row["id"], user_id=row["user_id"], scope=ThreadScope(row["scope"]),
                  document_ids=tuple(uuid.UUID(d) for d in row["document_ids"]), title=row["title"],
                  created_at=row["created_at"], updated_at=row["updated_at"])
