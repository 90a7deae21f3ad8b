"""Conversation threads: start one over documents or the whole library, list, read with its
turns, rename, delete. Asking in a thread is QueryDocument with the thread's id."""

from __future__ import annotations

import uuid
from datetime import datetime

import attrs

from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, owned_document
from domain.conversations import Conversation
from domain.errors import InvalidInput, ThreadNotFound
from domain.threads import Thread
from domain.users import User

MAX_THREAD_DOCUMENTS = 50
MAX_TURNS_SHOWN = 500  # a thread's newest turns returned by ``get`` (a longer one is shown from there)


@attrs.frozen(kw_only=True)
class ThreadView:
    thread: Thread
    turns: list[Conversation]


@attrs.frozen(kw_only=True)
class ThreadPage:
    threads: list[Thread]
    next_before: tuple[datetime, uuid.UUID] | None  # pass back as ``before`` for the next page
    turns: dict[uuid.UUID, int] = attrs.field(factory=dict)  # each thread's number of turns


@attrs.define
class Threads:
    uow: UnitOfWork
    clock: Clock

    def create(self, user_id: uuid.UUID, *, document_ids: tuple[uuid.UUID, ...] = (), whole_library: bool = False,
               title: str = "") -> Thread:
        """A thread over the user's ``document_ids`` (DocumentNotFound for one not theirs), or over
        the whole library; exactly one of the two."""
        if whole_library == bool(document_ids):
            raise InvalidInput("A thread is about document_ids or the whole_library (one of the two).",
                               field="document_ids")
        if len(set(document_ids)) > MAX_THREAD_DOCUMENTS:
            raise InvalidInput(f"A thread is about at most {MAX_THREAD_DOCUMENTS} documents.", field="document_ids")
        with self.uow as uow:
            user = active_user(uow, user_id)
            for document_id in dict.fromkeys(document_ids):
                owned_document(uow, user, document_id)
            thread = Thread.start(user_id=user.id, document_ids=document_ids, now=self.clock.now(), title=title)
            uow.threads.add(thread)
            uow.commit()
        return thread

    def list(self, user_id: uuid.UUID, *, limit: int = 50,
             before: tuple[datetime, uuid.UUID] | None = None) -> ThreadPage:
        limit = max(1, min(limit, 200))
        with self.uow as uow:
            user = active_user(uow, user_id)
            found = uow.threads.list_for_user(user.id, limit=limit + 1, before=before)
            page = found[:limit]
            turns = uow.threads.turn_counts([t.id for t in page])
        more = len(found) > limit
        return ThreadPage(threads=page, next_before=(page[-1].updated_at, page[-1].id) if more else None, turns=turns)

    def latest_about(self, user_id: uuid.UUID, document_id: uuid.UUID) -> Thread | None:
        """The user's most recently active thread about ``document_id`` alone (what a message about
        that document continues when no other thread was chosen), or None."""
        before = None
        while True:
            page = self.list(user_id, limit=200, before=before)
            found = next((t for t in page.threads if t.document_ids == (document_id,)), None)
            if found is not None or page.next_before is None:
                return found
            before = page.next_before

    def get(self, user_id: uuid.UUID, thread_id: uuid.UUID) -> ThreadView:
        with self.uow as uow:
            thread = owned_thread(uow, active_user(uow, user_id), thread_id)
            return ThreadView(thread=thread, turns=uow.threads.turns(thread.id, last=MAX_TURNS_SHOWN))

    def rename(self, user_id: uuid.UUID, thread_id: uuid.UUID, title: str) -> Thread:
        with self.uow as uow:
            thread = owned_thread(uow, active_user(uow, user_id), thread_id)
            thread.rename(title, self.clock.now())
            uow.threads.update(thread)
            uow.commit()
        return thread

    def delete(self, user_id: uuid.UUID, thread_id: uuid.UUID) -> None:
        with self.uow as uow:
            thread = owned_thread(uow, active_user(uow, user_id), thread_id)
            uow.threads.delete(thread.id)
            uow.commit()


def owned_thread(uow: UnitOfWork, user: User, thread_id: uuid.UUID) -> Thread:
    """The user's thread; ThreadNotFound for a missing one and for another user's alike."""
    thread = uow.threads.get(thread_id)
    if thread is None or thread.user_id != user.id:
        raise ThreadNotFound("Thread not found.", thread_id=str(thread_id))
    return thread
