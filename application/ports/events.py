"""Real-time events of a user (domain.events): published by whoever changes what they describe
(the worker, a question), relayed to the listeners of this process (a WebSocket each).

Events are best effort: the database is the truth, and a listener that may have missed some is
told so (EventsInterrupted) so that its client reads the state again. Publishing never fails the
caller's work."""

from __future__ import annotations

import uuid
from typing import Protocol

from domain.events import UserEvent


class EventsInterrupted(Exception):
    """A listener's stream of events has ended with a gap: the relay between processes was lost,
    or the listener fell too far behind. ``reason`` says which, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EventPublisher(Protocol):
    def publish(self, event: UserEvent) -> None:
        """Hand the event on for delivery. Quick and non-blocking (callers may be on an event loop
        or in a job), never raises: a failure to deliver is the adapter's to log."""
        ...


class EventListener(Protocol):
    """One listener's bounded mailbox, read on the event loop that subscribed it."""

    async def next(self) -> UserEvent:
        """The oldest event not yet read; raises EventsInterrupted when the stream ended with a gap."""
        ...
    @property
    def dropped(self) -> int:
        """Progress and quota events dropped because the listener was slow (a later one replaced them)."""
        ...
    def close(self) -> None:
        """Stop listening (idempotent)."""
        ...


class EventSubscriber(Protocol):
    @property
    def available(self) -> bool:
        """False while events cannot reach this process (the relay is down): a new listener would
        hear nothing."""
        ...
    def subscribe(self, user_id: uuid.UUID) -> EventListener:
        """A listener of ``user_id``'s events from now on; called on the event loop that reads it."""
        ...


class EventRelay(Protocol):
    """Brings events published in other processes to this process's subscribers (nothing to do
    when every publisher is in this process). One per process, started with the API."""

    async def start(self) -> None: ...
    async def close(self) -> None: ...
