"""Questions and answers, with their citations stored as JSON."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import RowMapping, bindparam, select

from adapters.persistence.repositories import usage_reads
from adapters.persistence.repositories.base import SqlAlchemyRepository, row_values
from adapters.persistence.tables import conversations
from domain.conversations import Citation, Conversation, DailyUsage, PeriodUsage


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
        """Per UTC day, from the rollups for closed days and the rows for the rest (usage_reads);
        ``user_id`` None: everyone's questions."""
        return usage_reads.usage_by_day(self._conn, user_id, since)

    def usage_report(self, user_id: uuid.UUID | None, *, since: datetime, count_users: bool = False) -> PeriodUsage:
        """Days, latency histogram and distinct users in a few statements (usage_reads.report)."""
        return usage_reads.report(self._conn, user_id, since, count_users=count_users)


def conversation_row(conversation: Conversation) -> dict[str, object]:
    """The column values of a conversation, its citations as JSON-ready dicts."""
    return row_values(conversation) | {"citations": [c.to_dict() for c in conversation.citations]}


def conversation_from_row(row: RowMapping) -> Conversation:
    values = dict(row)
    return Conversation(**values | {"citations": [Citation.from_dict(d) for d in values["citations"]],
                                    "cost_usd": float(values["cost_usd"])})
