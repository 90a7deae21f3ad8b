"""A user's questions and answers, newest first (their history, with citations and costs)."""

from __future__ import annotations

import uuid

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from domain.conversations import Conversation
from domain.errors import InvalidInput

MAX_LIMIT = 200


@attrs.define
class ListConversations:
    uow: UnitOfWork

    def __call__(self, user_id: uuid.UUID, *, limit: int = 20) -> list[Conversation]:
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}.", field="limit")
        with self.uow as uow:
            user = active_user(uow, user_id)
            return uow.conversations.list_for_user(user.id, limit=limit)
