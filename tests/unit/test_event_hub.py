"""The events hub (adapters.events.hub): fan-out by user, a bounded mailbox per listener that drops
the oldest progress first and never a completion or failure, gaps reported, any thread delivering."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import UTC, datetime

import pytest

from adapters.events.hub import RELAY_LOST, TOO_SLOW, EventHub
from application.ports.events import EventsInterrupted
from domain.events import DocumentCompleted, DocumentFailed, DocumentProgress, QuotaChanged, QuotaWindow

ANN, BOB = uuid.uuid4(), uuid.uuid4()


def progress(user: uuid.UUID, done: int, document: int = 1) -> DocumentProgress:
    return DocumentProgress(user_id=user, document_id=uuid.UUID(int=document), status="processing",
                            progress_done=done, progress_total=10)


def completed(user: uuid.UUID, document: int = 1) -> DocumentCompleted:
    return DocumentCompleted(user_id=user, document_id=uuid.UUID(int=document), status="completed",
                             filename=f"{document}.pdf", kind="pdf", page_count=3, chunks=4)


def failed(user: uuid.UUID, document: int = 1) -> DocumentFailed:
    return DocumentFailed(user_id=user, document_id=uuid.UUID(int=document), status="failed",
                          filename=f"{document}.pdf", error_code="file_corrupt", error_message="The file is damaged.")


def quota(user: uuid.UUID, used: int) -> QuotaChanged:
    return QuotaChanged(user_id=user, tier="free", windows=(QuotaWindow(
        window="minute", limit=10, used=used, reset_at=datetime(2026, 3, 2, 9, 16, tzinfo=UTC)),))


async def drain(listener, count: int) -> list:  # noqa: ANN001
    return [await asyncio.wait_for(listener.next(), 2) for _ in range(count)]


def test_each_listener_of_the_user_gets_the_event_and_no_one_else() -> None:
    async def scenario() -> None:
        hub = EventHub()
        ann_1, ann_2, bob = hub.subscribe(ANN), hub.subscribe(ANN), hub.subscribe(BOB)
        hub.deliver(progress(ANN, 1))
        hub.deliver(completed(ANN))
        assert await drain(ann_1, 2) == await drain(ann_2, 2) == [progress(ANN, 1), completed(ANN)]
        hub.deliver(failed(BOB))
        assert await drain(bob, 1) == [failed(BOB)]  # the first thing Bob hears is his own
        assert hub.listeners(ANN) == 2 and hub.listeners() == 3
        ann_1.close()
        ann_1.close()  # idempotent
        assert hub.listeners(ANN) == 1
        hub.deliver(progress(ANN, 2))  # no one left to grow a closed mailbox
        assert await drain(ann_2, 1) == [progress(ANN, 2)]

    asyncio.run(scenario())


def test_a_slow_listener_loses_superseded_events_first_then_the_oldest_progress_then_quota() -> None:
    a, b, c, d, e, f, g = range(1, 8)  # documents

    async def scenario() -> None:
        hub = EventHub(max_queued=4)
        slow, quick = hub.subscribe(ANN), hub.subscribe(ANN)
        sent = [progress(ANN, 1, a), progress(ANN, 1, b), quota(ANN, 1), progress(ANN, 2, b),
                completed(ANN, c),  # full: B's first progress goes (B's second supersedes it)
                quota(ANN, 2),  # the first quota goes (the second supersedes it)
                failed(ANN, b),  # B's second progress goes (its failure supersedes it)
                progress(ANN, 1, d),  # nothing superseded: the oldest progress (A's) goes
                completed(ANN, e),  # D's progress goes
                completed(ANN, f),  # no progress left: the quota goes
                completed(ANN, g)]  # only completions and failures: all are kept, past the bound
        for event in sent:
            hub.deliver(event)
            assert await drain(quick, 1) == [event]  # a listener that keeps up loses nothing
        assert await drain(slow, 5) == [completed(ANN, c), failed(ANN, b), completed(ANN, e), completed(ANN, f),
                                        completed(ANN, g)]
        assert slow.dropped == 6 and quick.dropped == 0

    asyncio.run(scenario())


def test_completions_are_held_past_the_bound_until_the_hard_limit_ends_the_listener() -> None:
    async def scenario() -> None:
        hub = EventHub(max_queued=2, max_held=5)
        listener = hub.subscribe(ANN)
        for n in range(5):
            hub.deliver(completed(ANN, n))
        assert await drain(listener, 2) == [completed(ANN, 0), completed(ANN, 1)]  # nothing was dropped
        for n in range(5, 9):
            hub.deliver(completed(ANN, n))  # 7 waiting: more than max_held
        with pytest.raises(EventsInterrupted) as ended:
            await asyncio.wait_for(listener.next(), 2)
        assert ended.value.reason == TOO_SLOW
        hub.deliver(completed(ANN, 10))  # an ended listener takes nothing more
        with pytest.raises(EventsInterrupted):
            await asyncio.wait_for(listener.next(), 2)

    asyncio.run(scenario())


def test_an_interruption_ends_every_listener_after_what_was_queued_and_refuses_until_resumed() -> None:
    async def scenario() -> None:
        hub = EventHub()
        ann, bob = hub.subscribe(ANN), hub.subscribe(BOB)
        hub.deliver(completed(ANN))
        assert hub.available
        hub.interrupt()
        assert not hub.available
        assert await drain(ann, 1) == [completed(ANN)]
        for listener in (ann, bob):
            with pytest.raises(EventsInterrupted) as ended:
                await asyncio.wait_for(listener.next(), 2)
            assert ended.value.reason == RELAY_LOST
        hub.resume()
        assert hub.available
        fresh = hub.subscribe(ANN)
        hub.deliver(progress(ANN, 5))
        assert await drain(fresh, 1) == [progress(ANN, 5)]

    asyncio.run(scenario())


def test_events_delivered_from_other_threads_arrive_in_order_on_the_listeners_loop() -> None:
    async def scenario() -> None:
        hub = EventHub(max_queued=1000)
        listener = hub.subscribe(ANN)
        sent = [progress(ANN, n) for n in range(200)]
        worker = threading.Thread(target=lambda: [hub.deliver(e) for e in sent])
        worker.start()
        received = await drain(listener, len(sent))
        worker.join()
        assert received == sent

    asyncio.run(scenario())


def test_a_listener_whose_loop_has_closed_is_forgotten() -> None:
    hub = EventHub()

    async def subscribe() -> None:
        hub.subscribe(ANN)

    asyncio.run(subscribe())  # the loop closes with the listener still subscribed
    assert hub.listeners(ANN) == 1
    hub.deliver(progress(ANN, 1))  # from outside any loop: its loop refuses the callback
    assert hub.listeners(ANN) == 0
