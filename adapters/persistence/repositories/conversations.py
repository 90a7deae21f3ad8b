"""Questions and answers, with their citations stored as JSON."""

from __future__ import annotations

import uuid

from sqlalchemy import RowMapping, select

from adapters.persistence.repositories.base import SqlAlchemyRepository, row_values
from adapters.persistence.tables import conversations
from domain.conversations import Citation, Conversation


class SqlAlchemyConversationRepository(SqlAlchemyRepository):
    def add(self, conversation: Conversation) -> None:
        values = row_values(conversation) | {"citations": [c.to_dict() for c in conversation.citations]}
        self._conn.execute(conversations.insert().values(**values))

    def list_for_user(self, user_id: uuid.UUID, *, limit: int = 50) -> list[Conversation]:
        """Newest first."""
        query = (select(conversations).where(conversations.c.user_id == user_id)
                 .order_by(conversations.c.created_at.desc(), conversations.c.id.desc()).limit(limit))
        return [_conversation(row) for row in self._conn.execute(query).mappings()]


def _conversation(row: RowMapping) -> Conversation:
    values = dict(row)
    return Conversation(**values | {"citations": [Citation.from_dict(d) for d in values["citations"]],
                                    "cost_usd": float(values["cost_usd"])})
