"""A user's questions and answers, newest first (their history, with citations and costs), or one of them."""

from __future__ import annotations

import uuid

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from domain.conversations import Citation, Conversation
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

    def find(self, user_id: uuid.UUID, conversation_id: uuid.UUID) -> Conversation | None:
        """One of the user's conversations; None when there is no such conversation of theirs
        (another user's is not told apart from a missing one)."""
        with self.uow as uow:
            user = active_user(uow, user_id)
            conversation = uow.conversations.get(conversation_id)
        return conversation if conversation is not None and conversation.user_id == user.id else None

    def passage(self, user_id: uuid.UUID, conversation_id: uuid.UUID, number: int) -> tuple[Citation, str] | None:
        """Citation ``number`` of one of the user's conversations and the whole passage it points
        into (its chunk's text; the stored quote when the document has been deleted since); None when there is no such conversation or citation of theirs."""
        conversation = self.find(user_id, conversation_id)
        cited = next((c for c in conversation.citations if c.number == number), None) if conversation else None
        if cited is None:
            return None
        with self.uow as uow:
            uow.act_for(user_id)  # row-level security: the user's own chunk, or none
            chunks = uow.chunks.get_many([(cited.document_id, cited.chunk_ordinal)])
        return cited, chunks[0].text if chunks else cited.quote
