"""Asking in a thread: the question, resolved against the turns before it (domain.followups), goes
through QueryDocument over the thread's documents, and is stored as the thread's next turn."""

from __future__ import annotations

import uuid

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from application.use_cases.answer_record import checked_question
from application.use_cases.query_document import QueryDocumentCommand
from application.use_cases.threads import owned_thread
from domain.conversations import Conversation
from domain.errors import ThreadDocumentsGone
from domain.followups import ThreadContext, standalone
from domain.text import count_tokens
from domain.threads import ThreadScope

HISTORY_TURNS = 20  # the newest turns read for a follow-up: a 1,000-turn thread costs what a 20-turn one does


@attrs.define
class ThreadQuestions:
    uow: UnitOfWork
    history_tokens: int = 1500  # ASSISTANT_HISTORY_TOKENS: of earlier turns given to a language model

    def command(self, user_id: uuid.UUID, thread_id: uuid.UUID, question: str) -> QueryDocumentCommand:
        """The QueryDocument command for ``question`` as the thread's next turn (ThreadNotFound for
        another user's thread; ThreadDocumentsGone when a document of the thread was deleted)."""
        question = checked_question(question)
        with self.uow as uow:
            user = active_user(uow, user_id)
            thread = owned_thread(uow, user, thread_id)
            turns = uow.threads.turns(thread.id, last=HISTORY_TURNS)
            present = {d for d in thread.document_ids if uow.documents.get(d) is not None}
        if thread.scope is not ThreadScope.LIBRARY and set(thread.document_ids) - present:
            raise ThreadDocumentsGone("A document of this thread was deleted: start a new thread to go on.",
                                      thread_id=str(thread.id))
        previous = _standalone_of(turns)
        context = ThreadContext(thread_id=thread.id, standalone=standalone(question, previous),
                                history=_history(turns, self.history_tokens))
        if thread.scope is ThreadScope.LIBRARY:
            return QueryDocumentCommand(user_id=user.id, question=question, whole_library=True, thread=context)
        return QueryDocumentCommand(user_id=user.id, question=question, document_ids=thread.document_ids,
                                    thread=context)


def _standalone_of(turns: list[Conversation]) -> str | None:
    """The previous turn's question as it read on its own (resolved again from the turns before it)."""
    resolved: str | None = None
    for turn in turns[-3:]:  # a chain of short follow-ups leans on the last real question
        resolved = standalone(turn.question, resolved)
    return resolved


def _history(turns: list[Conversation], budget: int) -> tuple[tuple[str, str], ...]:
    """The newest turns whose questions and answers fit in ``budget`` tokens, oldest first."""
    kept: list[tuple[str, str]] = []
    spent = 0
    for turn in reversed(turns):
        cost = count_tokens(turn.question) + count_tokens(turn.answer)
        if spent + cost > budget:
            break
        kept.append((turn.question, turn.answer))
        spent += cost
    return tuple(reversed(kept))
