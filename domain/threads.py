"""A conversation thread: a user's questions and answers about one document, several, or the
whole library, in order. Each turn is a Conversation carrying the thread's id."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import attrs

from domain.errors import InvalidInput

TITLE_CHARS = 80


class ThreadScope(StrEnum):
    DOCUMENT = "document"  # one document
    DOCUMENTS = "documents"  # several chosen documents
    LIBRARY = "library"  # every processed document of the user


@attrs.define(kw_only=True)
class Thread:
    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    user_id: uuid.UUID
    scope: ThreadScope
    document_ids: tuple[uuid.UUID, ...] = ()  # empty for the library
    title: str = ""
    created_at: datetime
    updated_at: datetime

    @classmethod
    def start(cls, *, user_id: uuid.UUID, document_ids: tuple[uuid.UUID, ...], now: datetime,
              title: str = "") -> Thread:
        """A thread over ``document_ids`` (none: the whole library)."""
        unique = tuple(dict.fromkeys(document_ids))
        scope = ThreadScope.LIBRARY if not unique else ThreadScope.DOCUMENT if len(unique) == 1 else ThreadScope.DOCUMENTS
        return cls(user_id=user_id, scope=scope, document_ids=unique, title=clean_title(title) if title else "",
                   created_at=now, updated_at=now)

    def turn_added(self, question: str, now: datetime) -> None:
        """A question was answered in the thread: the first one names it, unless it was named."""
        if not self.title:
            self.title = title_from(question)
        self.updated_at = now

    def rename(self, title: str, now: datetime) -> None:
        self.title = clean_title(title)
        self.updated_at = now


def title_from(question: str) -> str:
    """The question's first TITLE_CHARS characters, cut at a word, on one line."""
    text = " ".join(question.split())
    if len(text) <= TITLE_CHARS:
        return text
    cut = text[:TITLE_CHARS].rsplit(" ", 1)[0] or text[:TITLE_CHARS]
    return cut.rstrip(",.;:") + "…"


def clean_title(title: str) -> str:
    text = " ".join(title.split())
    if not text or len(text) > 200:
        raise InvalidInput("A thread's title has 1 to 200 characters.", field="title")
    return text
