"""What answering a question from the answer cache reads and writes, awaited on the event loop.

The API serves cached answers without a thread per request: the checks read the user and the
documents in one round trip, and the answer is recorded in a transaction that concurrent answers
may share (group commit), yet committed before the call returns."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from domain.analytics import AnalyticsEvent
from domain.conversations import Conversation
from domain.documents import Document
from domain.users import User


class QuestionStore(Protocol):
    async def asker_and_documents(self, user_id: uuid.UUID, document_ids: Sequence[uuid.UUID],
                                  ) -> tuple[User | None, list[Document]]:
        """The user (None when unknown) and those of the documents that exist, whoever owns them
        (the caller checks), without their extracted text; one read."""
        ...

    async def record(self, conversation: Conversation | None, event: AnalyticsEvent) -> None:
        """Store the conversation (when given) and the event together, committed when this returns.
        Raises ServiceUnavailable when the database cannot be reached."""
        ...
