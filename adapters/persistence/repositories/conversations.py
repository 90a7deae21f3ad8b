"""Questions and answers, with their citations stored as JSON."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ColumnElement, Integer, RowMapping, bindparam, cast, func, select

from adapters.persistence.repositories.base import SqlAlchemyRepository, row_values
from adapters.persistence.tables import conversations
from domain.conversations import Citation, Conversation, DailyUsage


_INSERT = conversations.insert()  # built once; the values are parameters
_BY_ID = select(conversations).where(conversations.c.id == bindparam("conversation_id"))


class SqlAlchemyConversationRepository(SqlAlchemyRepository):
    def add(self, conversation: Conversation) -> None:
        self._conn.execute(_INSERT, conversation_row(conversation))

    def get(self, conversation_id: uuid.UUID) -> Conversation | None:
        row = self._conn.execute(_BY_ID, {"conversation_id": conversation_id}).mappings().one_or_none()
        return conversation_from_row(row) if row is not None else None

    def list_for_user(self, user_id: uuid.UUID, *, limit: int = 50) -> list[Conversation]:
        """Newest first."""
        query = (select(conversations).where(conversations.c.user_id == user_id)
                 .order_by(conversations.c.created_at.desc(), conversations.c.id.desc()).limit(limit))
        return [conversation_from_row(row) for row in self._conn.execute(query).mappings()]

    def usage_by_day(self, user_id: uuid.UUID | None, *, since: datetime) -> list[DailyUsage]:
        """Grouped in SQL by the UTC day (SQLite keeps naive UTC text, PostgreSQL timestamptz);
        ``user_id`` None: everyone's questions."""
        c = conversations.c
        if self._conn.dialect.name == "postgresql":
            day = func.to_char(func.timezone("UTC", c.created_at), "YYYY-MM-DD")
        else:
            day = func.substr(c.created_at, 1, 10)
        query = (select(day.label("day"), func.count().label("questions"),
                        func.sum(cast(c.cached, Integer)).label("cached"), func.sum(c.tokens_in).label("tokens_in"),
                        func.sum(c.tokens_out).label("tokens_out"), func.sum(c.cost_usd).label("cost_usd"))
                 .where(*_period(user_id, since)).group_by(day).order_by(day))
        return [DailyUsage(day=date.fromisoformat(row.day), questions=int(row.questions), cached=int(row.cached or 0),
                           tokens_in=int(row.tokens_in or 0), tokens_out=int(row.tokens_out or 0),
                           cost_usd=round(float(row.cost_usd or 0), 6))
                for row in self._conn.execute(query)]

    def latencies(self, user_id: uuid.UUID | None, *, since: datetime) -> list[int]:
        """Ascending. One integer per question: percentiles are left to the caller, because SQLite has
        no percentile function (PostgreSQL's percentile_disc would be the next step at millions of rows)."""
        query = select(conversations.c.latency_ms).where(*_period(user_id, since)).order_by(conversations.c.latency_ms)
        return [int(v) for v in self._conn.execute(query).scalars()]

    def count_users(self, *, since: datetime) -> int:
        query = select(func.count(conversations.c.user_id.distinct())).where(*_period(None, since))
        return int(self._conn.execute(query).scalar_one())


def _period(user_id: uuid.UUID | None, since: datetime) -> list[ColumnElement[bool]]:
    """Conditions: from ``since`` (inclusive), of one user or (None) of everyone."""
    conditions = [conversations.c.created_at >= since]
    if user_id is not None:
        conditions.append(conversations.c.user_id == user_id)
    return conditions


def conversation_row(conversation: Conversation) -> dict[str, object]:
    """The column values of a conversation, its citations as JSON-ready dicts."""
    return row_values(conversation) | {"citations": [c.to_dict() for c in conversation.citations]}


def conversation_from_row(row: RowMapping) -> Conversation:
    values = dict(row)
    return Conversation(**values | {"citations": [Citation.from_dict(d) for d in values["citations"]],
                                    "cost_usd": float(values["cost_usd"])})
