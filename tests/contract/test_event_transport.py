"""The events contract, run on both transports: in-process (the embedded profile) and Redis pub/sub
(the real server). A publisher (here on another thread, as a job runs) and the relay feeding this
process's hub: what is published reaches every listener of its user, unchanged and in order, and
no one else's; nothing is replayed to a later listener; publishing never raises, even when the
event cannot be delivered."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

from adapters.events.hub import EventHub
from adapters.events.memory import InProcessEventPublisher, InProcessEventRelay
from adapters.events.redis import RedisEventPublisher, RedisEventRelay
from application.ports.events import EventPublisher, EventRelay
from domain.events import DocumentCompleted, DocumentFailed, DocumentProgress, QuotaChanged, QuotaWindow, UserEvent
from tests.redis_process import free_port

ANN, BOB = uuid.uuid4(), uuid.uuid4()


@attrs.define
class Transport:
    hub: EventHub
    publisher: EventPublisher
    relay: EventRelay
    broken: Callable[[EventHub], EventPublisher]  # a publisher whose events cannot be delivered


@pytest.fixture(params=["in_process", "redis"])
def transport(request: pytest.FixtureRequest) -> Iterator[Transport]:
    hub = EventHub(max_queued=1000)
    if request.param == "in_process":
        yield Transport(hub, InProcessEventPublisher(hub), InProcessEventRelay(), broken=InProcessEventPublisher)
        return
    url, prefix = request.getfixturevalue("redis_server_url"), request.getfixturevalue("redis_prefix")
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    publisher = RedisEventPublisher(url, prefix=prefix)
    yield Transport(hub, publisher, RedisEventRelay(url, hub=hub, prefix=prefix),
                    broken=lambda _hub: RedisEventPublisher(dead, prefix=prefix, timeout_seconds=0.5))


def relayed(transport: Transport, scenario: Callable[[], Awaitable[None]]) -> None:
    async def run() -> None:
        await transport.relay.start()
        try:
            await scenario()
        finally:
            await transport.relay.close()

    asyncio.run(run())


def progress(user: uuid.UUID, done: int) -> DocumentProgress:
    return DocumentProgress(user_id=user, document_id=uuid.UUID(int=1), status="processing", progress_done=done,
                            progress_total=50)


async def received(listener: Any, count: int) -> list[UserEvent]:  # noqa: ANN401
    return [await asyncio.wait_for(listener.next(), 5) for _ in range(count)]


def test_every_listener_of_the_user_gets_the_events_in_order_and_no_one_else(transport: Transport) -> None:
    async def scenario() -> None:
        hub = transport.hub
        first, second, other = hub.subscribe(ANN), hub.subscribe(ANN), hub.subscribe(BOB)
        sent = [progress(ANN, n) for n in range(50)]
        await asyncio.to_thread(lambda: [transport.publisher.publish(e) for e in sent])  # as a job does
        assert await received(first, 50) == sent
        assert await received(second, 50) == sent
        bobs = DocumentFailed(user_id=BOB, document_id=uuid.uuid4(), status="failed", filename="b.pdf",
                              error_code="file_corrupt", error_message="The file is damaged.")
        await asyncio.to_thread(transport.publisher.publish, bobs)
        assert await received(other, 1) == [bobs]  # the first thing Bob's listener hears is his own

    relayed(transport, scenario)


def test_each_kind_of_event_arrives_unchanged(transport: Transport) -> None:
    document = uuid.uuid4()
    sent: list[UserEvent] = [
        DocumentProgress(user_id=ANN, document_id=document, status="pending", progress_done=0, progress_total=0),
        DocumentCompleted(user_id=ANN, document_id=document, status="completed", filename="Отчёт 10-Q.pdf",
                          kind="pdf", page_count=None, chunks=88, notes=None),
        DocumentFailed(user_id=ANN, document_id=document, status="failed", filename="<img src=x>.docx",
                       error_code=None, error_message=None),
        QuotaChanged(user_id=ANN, tier="premium", windows=(
            QuotaWindow(window="minute", limit=30, used=30, reset_at=datetime(2026, 3, 2, 9, 16, tzinfo=UTC)),
            QuotaWindow(window="day", limit=5000, used=31, reset_at=datetime(2026, 3, 3, tzinfo=UTC)))),
    ]

    async def scenario() -> None:
        listener = transport.hub.subscribe(ANN)
        for event in sent:
            transport.publisher.publish(event)  # from the event loop too (the API's quota events)
        assert await received(listener, len(sent)) == sent

    relayed(transport, scenario)


def test_a_listener_hears_only_what_is_published_after_it_subscribed(transport: Transport) -> None:
    async def scenario() -> None:
        transport.publisher.publish(progress(ANN, 1))  # no one listens: goes nowhere, harmlessly
        await asyncio.sleep(0.2)
        listener = transport.hub.subscribe(ANN)
        transport.publisher.publish(progress(ANN, 2))
        assert await received(listener, 1) == [progress(ANN, 2)]

    relayed(transport, scenario)


def test_publishing_never_raises_when_the_event_cannot_be_delivered(transport: Transport) -> None:
    hub = EventHub()

    async def stranded() -> None:
        hub.subscribe(ANN)  # a listener whose event loop is gone once this returns

    asyncio.run(stranded())
    publisher = transport.broken(hub)
    for n in range(100):
        publisher.publish(progress(ANN, n))  # dropped (and logged by the adapter): the test fails if it raises
