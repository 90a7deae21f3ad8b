"""The local fan-out of events to the listeners (WebSockets) of this process, by user id.

Implements application.ports.events.EventSubscriber. Events arrive from any thread (an in-process
job, the Redis relay on the event loop); each listener belongs to the event loop that subscribed
it and is fed there (``call_soon_threadsafe`` from another thread, directly on its own loop), so
a listener's mailbox is only ever touched by one thread.

A slow client must not hold up the others or grow without bound: every listener has a mailbox of
``max_queued`` events. Past that, one event is dropped per event added: the oldest progress or
quota event that a later one in the mailbox supersedes (a later event of the same document, a later
quota), else the oldest progress event, else the oldest quota event; completions and failures are
never dropped. A mailbox that still holds ``max_held`` events (a client that reads nothing while many
documents finish) ends with EventsInterrupted: its socket is closed and the client, reconnecting,
reads the state again."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections import deque

import structlog

from application.ports.events import EventsInterrupted
from domain.events import DocumentProgress, QuotaChanged, UserEvent

log = structlog.get_logger(__name__)

MAX_QUEUED = 64
MAX_HELD = 1024
RELAY_LOST = "the event relay was lost; reconnect to read the current state"
TOO_SLOW = "too many events waiting for this client; reconnect to read the current state"


class Mailbox:
    """One listener (application.ports.events.EventListener)."""

    def __init__(self, hub: EventHub, user_id: uuid.UUID, loop: asyncio.AbstractEventLoop, *,
                 max_queued: int, max_held: int) -> None:
        self.user_id, self.loop = user_id, loop
        self._hub, self._max_queued, self._max_held = hub, max_queued, max_held
        self._items: deque[UserEvent] = deque()
        self._ready = asyncio.Event()
        self._ended: EventsInterrupted | None = None
        self._dropped = 0
        self.closed = False

    @property
    def dropped(self) -> int:
        return self._dropped

    async def next(self) -> UserEvent:
        while not self._items:
            if self._ended is not None:
                raise self._ended
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._hub._remove(self)  # noqa: SLF001 - the hub's own mailbox

    # fed by the hub, on self.loop
    def put(self, event: UserEvent) -> None:
        if self._ended is not None or self.closed:
            return
        self._items.append(event)
        if len(self._items) > self._max_queued and not self._drop_one():
            if len(self._items) > self._max_held:
                self._items.clear()
                self.end(TOO_SLOW)
                log.warning("events_listener_too_slow", user_id=str(self.user_id))
                return
        self._ready.set()

    def end(self, reason: str) -> None:
        """No more events: once the queued ones are read, ``next`` raises EventsInterrupted(reason)."""
        if self._ended is None:
            self._ended = EventsInterrupted(reason)
            self._ready.set()

    def _drop_one(self) -> bool:
        """Drop the oldest superseded progress or quota event, else the oldest progress event, else
        the oldest quota event; False when there is none (all are completions and failures)."""
        victim, documents, quota_seen = None, set(), False
        for index in range(len(self._items) - 1, -1, -1):  # newest first: what supersedes comes later
            queued = self._items[index]
            if isinstance(queued, QuotaChanged):
                victim, quota_seen = (index if quota_seen else victim), True
                continue
            if isinstance(queued, DocumentProgress) and queued.document_id in documents:
                victim = index
            documents.add(queued.document_id)
        if victim is not None:
            del self._items[victim]
            self._dropped += 1
            return True
        for kind in (DocumentProgress, QuotaChanged):
            for index, queued in enumerate(self._items):
                if isinstance(queued, kind):
                    del self._items[index]
                    self._dropped += 1
                    return True
        return False


class EventHub:
    """Listeners by user id. ``deliver`` may be called from any thread; ``subscribe`` on the event
    loop that will read the listener."""

    def __init__(self, *, max_queued: int = MAX_QUEUED, max_held: int = MAX_HELD) -> None:
        self._max_queued, self._max_held = max_queued, max(max_held, max_queued)
        self._lock = threading.Lock()
        self._listeners: dict[uuid.UUID, set[Mailbox]] = {}
        self._available = True

    @property
    def available(self) -> bool:
        return self._available

    def subscribe(self, user_id: uuid.UUID) -> Mailbox:
        mailbox = Mailbox(self, user_id, asyncio.get_running_loop(), max_queued=self._max_queued,
                          max_held=self._max_held)
        with self._lock:
            self._listeners.setdefault(user_id, set()).add(mailbox)
        return mailbox

    def listeners(self, user_id: uuid.UUID | None = None) -> int:
        """How many listeners are open (of ``user_id``, or in all)."""
        with self._lock:
            if user_id is not None:
                return len(self._listeners.get(user_id, ()))
            return sum(len(group) for group in self._listeners.values())

    def deliver(self, event: UserEvent) -> None:
        """Put ``event`` in the mailbox of each of its user's listeners."""
        with self._lock:
            group = self._listeners.get(event.user_id)
            mailboxes = list(group) if group else ()
        self._each(mailboxes, Mailbox.put, event)

    def interrupt(self, reason: str = RELAY_LOST) -> None:
        """Events may have been lost (the relay went down): every listener ends, and until
        ``resume`` the hub says it is not available."""
        self._available = False
        with self._lock:
            mailboxes = [m for group in self._listeners.values() for m in group]
        self._each(mailboxes, Mailbox.end, reason)

    def resume(self) -> None:
        self._available = True

    def _each(self, mailboxes: list[Mailbox] | tuple[()], method, argument) -> None:  # noqa: ANN001
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        for mailbox in mailboxes:
            if mailbox.loop is running:
                method(mailbox, argument)
                continue
            try:
                mailbox.loop.call_soon_threadsafe(method, mailbox, argument)
            except RuntimeError:  # its loop is closed: the listener is gone
                self._remove(mailbox)

    def _remove(self, mailbox: Mailbox) -> None:
        with self._lock:
            group = self._listeners.get(mailbox.user_id)
            if group is not None:
                group.discard(mailbox)
                if not group:
                    del self._listeners[mailbox.user_id]
