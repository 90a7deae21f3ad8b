"""QueryDocument.open_async (the API's path on the event loop): the same checks, in the same order,
with the same outcomes as open(); a cached answer recorded through the QuestionStore; blocking
calls only through the offload function."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from adapters.cache.memory import MemoryCache
from adapters.persistence.threaded_async_store import ThreadedAsyncStore
from application.ports.rate_limiter import RateDecision
from application.use_cases.query_document import PendingAnswer, QueryDocumentCommand
from domain.analytics import EventType
from domain.conversations import Conversation
from domain.documents import DocumentStatus
from domain.errors import DocumentNotFound, DocumentNotReady, RateLimited, UserBanned, UserNotFound
from domain.users import Tier, UserStatus
from tests.fakes import ScriptedLanguageModel
from tests.unit.conftest import World

QUESTION = "When are invoices payable?"
TEXT = "# Terms\n\nInvoices are payable within 30 days of receipt.\n"


def open_async(world: World, command: QueryDocumentCommand, offloaded: list[str] | None = None,
               rates: list[RateDecision] | None = None) -> Conversation | PendingAnswer:
    calls = offloaded if offloaded is not None else []

    async def offload(func: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(func.__name__)
        return func(*args, **kwargs)

    use_case = world.query_use_case()
    return asyncio.run(use_case.open_async(command, store=ThreadedAsyncStore(lambda: world.uow),
                                           offload=offload, on_rate=rates.append if rates is not None else None))


def ask(user_id: uuid.UUID, document_id: uuid.UUID | None, question: str = QUESTION, **extra: Any,
        ) -> QueryDocumentCommand:
    return QueryDocumentCommand(user_id=user_id, question=question, document_id=document_id, **extra)


def test_a_cached_answer_is_recorded_without_a_thread_when_the_cache_holds_it_here(world: World) -> None:
    world.cache = MemoryCache()  # type: ignore[assignment]  # in-process: get_local answers
    world.llm = ScriptedLanguageModel("Within 30 days [1].")
    user = world.add_user(tier=Tier.ENTERPRISE)  # no rate limit: nothing to offload at all
    document = world.ready_document(user, TEXT, filename="terms.md")
    first = world.ask(user, QUESTION, document.id)
    offloaded: list[str] = []
    again = open_async(world, ask(user.id, document.id), offloaded)
    assert isinstance(again, Conversation) and again.cached and offloaded == []
    assert (again.answer, again.citations, again.document_id) == (first.answer, first.citations, document.id)
    assert [c.id for c in world.store.conversations] == [first.id, again.id]
    answered = [e for e in world.store.events if e.type is EventType.QUESTION_ANSWERED]
    assert len(answered) == 2 and answered[-1].data["cached"] is True


def test_a_shared_cache_and_a_rate_limit_are_offloaded(world: World) -> None:
    world.llm = ScriptedLanguageModel("Within 30 days [1].")
    user = world.add_user()  # free tier: rate limited
    document = world.ready_document(user, TEXT, filename="terms.md")
    world.ask(user, QUESTION, document.id)
    offloaded: list[str] = []
    rates: list[RateDecision] = []
    again = open_async(world, ask(user.id, document.id), offloaded, rates)
    assert isinstance(again, Conversation) and again.cached
    assert offloaded == ["hit", "_cache_get"]  # the limiter (Redis) and the FakeCache (not in-process)
    assert len(rates) == 1 and rates[0].windows  # the decision that admitted it, as open() reports it


def test_a_miss_comes_back_pending_and_its_stream_answers_and_stores(world: World) -> None:
    world.llm = ScriptedLanguageModel("Within 30 days [1].")
    user = world.add_user()
    document = world.ready_document(user, TEXT, filename="terms.md")
    offloaded: list[str] = []
    pending = open_async(world, ask(user.id, document.id), offloaded)
    assert isinstance(pending, PendingAnswer) and world.store.conversations == []
    assert offloaded[-1] == "_pending"  # the chunks are loaded in a thread
    final = list(pending.stream())[-1]
    assert isinstance(final, Conversation) and not final.cached and final.answer == "Within 30 days [1]."
    assert final.citations[0].document_id == document.id and world.store.conversations == [final]


def test_the_checks_refuse_what_open_refuses(world: World) -> None:
    user, other = world.add_user(), world.add_user()
    mine = world.ready_document(user, TEXT)
    theirs = world.ready_document(other, TEXT, filename="theirs.md")
    pending = world.upload(user, "not processed yet", "later.md")
    cases = [
        (ask(user.id, theirs.id), DocumentNotFound),  # another user's document: as if missing
        (ask(user.id, uuid.uuid4()), DocumentNotFound),
        (ask(user.id, pending.id), DocumentNotReady),
        (ask(uuid.uuid4(), mine.id), UserNotFound),
        (QueryDocumentCommand(user_id=user.id, question=QUESTION, document_ids=(mine.id, theirs.id)),
         DocumentNotFound),
    ]
    for command, error in cases:
        with pytest.raises(error):
            world.query_use_case().open(command)
        with pytest.raises(error):
            open_async(world, command)
    world.set_status(user, UserStatus.BANNED)
    with pytest.raises(UserBanned):
        open_async(world, ask(user.id, mine.id))
    assert world.store.conversations == [] and world.store.documents[pending.id].status is DocumentStatus.PENDING


def test_the_question_over_the_limit_is_refused_and_counted(world: World) -> None:
    user = world.add_user()
    document = world.ready_document(user, TEXT)
    limit = world.tiers.for_tier(Tier.FREE).per_minute
    assert limit is not None
    for _ in range(limit):
        assert open_async(world, ask(user.id, document.id)) is not None
    with pytest.raises(RateLimited):
        open_async(world, ask(user.id, document.id))
    refused = [e for e in world.store.events if e.type is EventType.RATE_LIMITED]
    assert len(refused) == 1 and refused[0].user_id == user.id and refused[0].data == {"window": "minute"}


def test_the_active_document_and_the_whole_library_go_through_open(world: World) -> None:
    world.llm = ScriptedLanguageModel("Within 30 days [1].")
    user = world.add_user()
    world.ready_document(user, TEXT)
    for command in (ask(user.id, None), QueryDocumentCommand(user_id=user.id, question=QUESTION, whole_library=True)):
        offloaded: list[str] = []
        opened = open_async(world, command, offloaded)
        assert offloaded == ["open"] and isinstance(opened, PendingAnswer)
