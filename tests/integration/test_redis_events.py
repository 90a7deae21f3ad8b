"""Events on Redis pub/sub beyond the shared contract (tests/contract/test_event_transport.py): two
processes' relays both hear a publisher; Redis stopping ends every listener and refuses new ones
until the relay has subscribed again; a publisher drops and logs once while Redis is away, then
delivers again; a malformed message or another prefix's event is ignored."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import pytest
import redis
import structlog
from structlog.testing import capture_logs

import adapters.events.redis as redis_events
from adapters.events.hub import RELAY_LOST, EventHub
from adapters.events.redis import RedisEventPublisher, RedisEventRelay, channel, encode
from application.ports.events import EventsInterrupted
from domain.events import DocumentCompleted, DocumentProgress

ANN = uuid.uuid4()


@pytest.fixture(autouse=True)
def default_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    """capture_logs sees INFO lines even when an earlier test configured logging at WARNING."""
    structlog.reset_defaults()
    monkeypatch.setattr(redis_events, "log", structlog.get_logger(redis_events.__name__))


def progress(done: int) -> DocumentProgress:
    return DocumentProgress(user_id=ANN, document_id=uuid.UUID(int=3), status="processing", progress_done=done,
                            progress_total=9)


def completed() -> DocumentCompleted:
    return DocumentCompleted(user_id=ANN, document_id=uuid.UUID(int=3), status="completed", filename="a.pdf",
                             kind="pdf", page_count=9, chunks=20)


async def until(predicate: Callable[[], bool], timeout: float = 10) -> bool:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return False


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(scenario())


def test_two_processes_relays_both_hear_one_publisher(redis_server_url: str, redis_prefix: str) -> None:
    async def scenario() -> None:
        hubs = [EventHub(), EventHub()]
        relays = [RedisEventRelay(redis_server_url, hub=hub, prefix=redis_prefix) for hub in hubs]
        for relay in relays:
            await relay.start()
        try:
            listeners = [hub.subscribe(ANN) for hub in hubs]
            publisher = RedisEventPublisher(redis_server_url, prefix=redis_prefix)
            publisher.publish(progress(1))
            publisher.publish(completed())
            for listener in listeners:
                assert [await asyncio.wait_for(listener.next(), 5) for _ in range(2)] == [progress(1), completed()]
            assert publisher.flush() and (publisher.sent, publisher.dropped) == (2, 0)
        finally:
            for relay in relays:
                await relay.close()

    run(scenario)


def test_a_malformed_message_or_another_prefix_is_ignored(redis_server_url: str, redis_prefix: str) -> None:
    async def scenario() -> None:
        hub = EventHub()
        relay = RedisEventRelay(redis_server_url, hub=hub, prefix=redis_prefix)
        await relay.start()
        client = redis.Redis.from_url(redis_server_url)
        try:
            listener = hub.subscribe(ANN)
            with capture_logs() as logs:
                client.publish(channel(redis_prefix), b"{not json")
                client.publish(channel(redis_prefix), b'{"type": "document.deleted"}')
                client.publish(channel("another-app:"), encode(progress(1)))
                client.publish(channel(redis_prefix), encode(progress(2)))
                assert await asyncio.wait_for(listener.next(), 5) == progress(2)
            assert [line["event"] for line in logs] == ["events_bad_message", "events_bad_message"]
        finally:
            client.close()
            await relay.close()

    run(scenario)


def test_redis_stopping_ends_the_listeners_and_they_come_back_with_it(own_redis) -> None:  # noqa: ANN001
    server = own_redis()

    async def scenario() -> None:
        hub = EventHub()
        relay = RedisEventRelay(server.url, hub=hub, prefix="t:", reconnect_seconds=0.2)
        await relay.start()
        publisher = RedisEventPublisher(server.url, prefix="t:", timeout_seconds=0.5)
        try:
            listener = hub.subscribe(ANN)
            publisher.publish(progress(1))
            assert await asyncio.wait_for(listener.next(), 5) == progress(1)
            with capture_logs() as logs:
                await asyncio.to_thread(server.stop)
                with pytest.raises(EventsInterrupted) as ended:
                    await asyncio.wait_for(listener.next(), 10)
                assert ended.value.reason == RELAY_LOST and not hub.available
                for n in range(5):  # while Redis is away: dropped, logged once, never raised
                    publisher.publish(progress(10 + n))
                    await asyncio.to_thread(publisher.flush)
                assert publisher.dropped == 5
                await asyncio.to_thread(server.start)
                assert await until(lambda: hub.available)  # the relay subscribed again
                fresh = hub.subscribe(ANN)
                publisher.publish(completed())
                assert await asyncio.wait_for(fresh.next(), 5) == completed()
                assert await asyncio.to_thread(publisher.flush)  # its sender thread logged the recovery
            events = [line["event"] for line in logs]
            assert events.count("events_publish_failed") == 1 and events.count("events_relay_lost") == 1
            assert "events_publish_recovered" in events and "events_relay_recovered" in events
        finally:
            await relay.close()

    run(scenario)
