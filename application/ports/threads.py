"""Conversation threads, reached through the unit of work as ``uow.threads``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from domain.conversations import Conversation
from domain.threads import Thread


class ThreadRepository(Protocol):
    def add(self, thread: Thread) -> None: ...
    def get(self, thread_id: uuid.UUID) -> Thread | None: ...
    def update(self, thread: Thread) -> None:
        """Its title and updated_at (the scope and documents never change)."""
        ...
    def delete(self, thread_id: uuid.UUID) -> None:
        """The thread and its turns."""
        ...
    def list_for_user(self, user_id: uuid.UUID, *, limit: int = 50,
                      before: tuple[datetime, uuid.UUID] | None = None) -> list[Thread]:
        """Most recently updated first; ``before`` (updated_at, id) continues a page after that thread."""
        ...
    def turn_counts(self, thread_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        """How many turns each thread has (a thread without any: 0), in one read."""
        ...
    def turns(self, thread_id: uuid.UUID, *, last: int | None = None) -> list[Conversation]:
        """The thread's questions and answers, oldest first (``last``: only the newest that many)."""
        ...
