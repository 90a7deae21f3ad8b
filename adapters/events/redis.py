"""Events across processes on Redis pub/sub: workers (and API processes, for quota events)
publish; every API process relays what it hears to its own listeners (adapters.events.hub).

One channel, ``<prefix>events``, for every user; the payload names the user. Chosen over a
channel per user because each API process then holds ONE subscription, made at start-up, for all
its sockets: opening a socket costs no SUBSCRIBE round trip and has no window in which the user's
first events are published before the subscription is in place, and a process never has to track
which users it has subscribed. The price is that every API process receives every user's events
and drops those of users it has no socket for: a few hundred bytes per event, progress at most
every 0.5 s per document being processed, which Redis and a JSON parse handle far below their cost
per question.

Publishing never blocks the caller: ``publish`` queues the message and a daemon thread sends the
queue (one pipelined round trip for all that waits). With Redis away the messages are dropped and
the failure is logged once until it is back: events are best effort, the database holds the state.

The relay runs on the API's event loop (redis.asyncio). Whenever its subscription is lost or made
again (Redis restarted: redis-py re-subscribes by itself, or the relay reconnects), events may have
been missed: the hub's listeners are ended (their sockets are closed and the clients reconnect to
read the state) and, while no subscription is in place, the hub refuses new listeners."""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
import time
from collections import deque

import orjson
import redis
import redis.asyncio as aioredis
import structlog

from adapters.events.hub import RELAY_LOST, EventHub
from domain.events import UserEvent, as_dict, from_dict

log = structlog.get_logger(__name__)

CHANNEL = "events"
MAX_PENDING = 10_000  # messages waiting for the sender thread; beyond that the oldest are dropped
FLUSH_AT_EXIT_SECONDS = 2.0
ERRORS = (redis.RedisError, OSError)


def channel(prefix: str) -> str:
    return f"{prefix}{CHANNEL}"


def encode(event: UserEvent) -> bytes:
    return orjson.dumps(as_dict(event))


def decode(payload: bytes) -> UserEvent:
    """ValueError when the payload is not an event."""
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return from_dict(data)


class RedisEventPublisher:
    """Implements application.ports.events.EventPublisher."""

    def __init__(self, url: str, *, prefix: str = "assistant:", timeout_seconds: float = 2.0,
                 max_pending: int = MAX_PENDING) -> None:
        self._client = redis.Redis.from_url(url, socket_connect_timeout=timeout_seconds,
                                            socket_timeout=timeout_seconds)
        self._channel = channel(prefix)
        self._max_pending = max_pending
        self._pending: deque[bytes] = deque()
        self._wake = threading.Condition()
        self._sending = 0  # messages taken by the sender thread and not yet sent (or dropped)
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._failing = False
        self.sent = self.dropped = 0

    def publish(self, event: UserEvent) -> None:
        try:
            payload = encode(event)
        except Exception:
            log.exception("events_encode_failed", type=event.type)
            return
        with self._wake:
            if self._thread is None or self._pid != os.getpid():  # first use, or a forked worker's child
                self._start()
            if len(self._pending) >= self._max_pending:
                self._pending.popleft()
                self.dropped += 1
            self._pending.append(payload)
            self._wake.notify()

    def flush(self, timeout: float = FLUSH_AT_EXIT_SECONDS) -> bool:
        """Wait until every queued message was sent or dropped; False when ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        with self._wake:
            while self._pending or self._sending:
                left = deadline - time.monotonic()
                if left <= 0 or self._thread is None or not self._thread.is_alive():
                    return False
                self._wake.wait(left)
        return True

    def _start(self) -> None:
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._send_forever, name="events-publisher", daemon=True)
        self._thread.start()
        atexit.register(self.flush)  # a worker in burst mode or a CLI command ends right after its last event

    def _send_forever(self) -> None:
        while True:
            with self._wake:
                while not self._pending:
                    self._wake.wait()
                batch = list(self._pending)
                self._pending.clear()
                self._sending = len(batch)
            try:
                self._send(batch)
            except Exception:  # the thread must not die: the next events would never go out
                log.exception("events_sender_crashed")
            finally:
                with self._wake:
                    self._sending = 0
                    self._wake.notify_all()

    def _send(self, batch: list[bytes]) -> None:
        try:
            pipe = self._client.pipeline(transaction=False)
            for payload in batch:
                pipe.publish(self._channel, payload)
            pipe.execute()
        except ERRORS as error:
            self.dropped += len(batch)
            if not self._failing:
                self._failing = True
                log.warning("events_publish_failed", error=str(error).splitlines()[0] if str(error) else
                            type(error).__name__, dropped=len(batch))
            return
        self.sent += len(batch)
        if self._failing:
            self._failing = False
            log.info("events_publish_recovered")


class RedisEventRelay:
    """Implements application.ports.events.EventRelay: the process's one subscription, feeding ``hub``."""

    def __init__(self, url: str, *, hub: EventHub, prefix: str = "assistant:", reconnect_seconds: float = 1.0,
                 start_wait_seconds: float = 2.0) -> None:
        self._url, self._hub, self._channel = url, hub, channel(prefix)
        self._reconnect, self._start_wait = reconnect_seconds, start_wait_seconds
        self._task: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        self._lost = False  # logged once per outage

    async def start(self) -> None:
        """Subscribe; waits up to ``start_wait_seconds`` for the subscription (the API starts even
        with Redis down: its sockets are refused until the relay reconnects)."""
        self._hub.interrupt("starting")  # nothing is relayed yet
        self._task = asyncio.create_task(self._run(), name="events-relay")
        try:
            await asyncio.wait_for(self._subscribed.wait(), self._start_wait)
        except TimeoutError:
            log.warning("events_relay_not_subscribed_yet", retry_in=self._reconnect)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        self._hub.interrupt("the server is shutting down")

    async def _run(self) -> None:
        while True:
            client = aioredis.Redis.from_url(self._url, socket_connect_timeout=2, socket_keepalive=True,
                                             health_check_interval=30)
            pubsub = client.pubsub()
            confirmed = False
            try:
                await pubsub.subscribe(self._channel)
                async for message in pubsub.listen():
                    kind = message.get("type")
                    if kind == "message":
                        self._deliver(message["data"])
                    elif kind == "subscribe":
                        if confirmed:  # redis-py reconnected and subscribed again: a gap
                            self._hub.interrupt(RELAY_LOST)
                        confirmed = True
                        self._subscribed_now()
            except ERRORS as error:
                if not self._lost:
                    log.warning("events_relay_lost", error=str(error).splitlines()[0] if str(error) else
                                type(error).__name__, retry_in=self._reconnect)
                self._lost = True
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("events_relay_crashed")
            finally:
                self._subscribed.clear()
                self._hub.interrupt(RELAY_LOST)
                await _quietly(pubsub.aclose())
                await _quietly(client.aclose())
            await asyncio.sleep(self._reconnect)

    def _subscribed_now(self) -> None:
        self._hub.resume()
        self._subscribed.set()
        if self._lost:
            self._lost = False
            log.info("events_relay_recovered")

    def _deliver(self, payload: bytes) -> None:
        try:
            event = decode(payload)
        except ValueError as error:
            log.warning("events_bad_message", error=str(error))
            return
        self._hub.deliver(event)


async def _quietly(closing) -> None:  # noqa: ANN001
    try:
        await closing
    except Exception:  # closing a connection that is already gone
        pass
