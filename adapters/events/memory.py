"""Events in one process (the embedded profile: the in-process job queue runs in the API process):
publishing is delivering to the hub, and there is nothing to relay."""

from __future__ import annotations

import structlog

from adapters.events.hub import EventHub
from domain.events import UserEvent

log = structlog.get_logger(__name__)


class InProcessEventPublisher:
    """Implements application.ports.events.EventPublisher: straight into this process's hub.
    Events published by another process (a CLI command processing its own upload) do not reach
    it: the processes of the embedded profile share files, not a message bus."""

    def __init__(self, hub: EventHub) -> None:
        self._hub = hub

    def publish(self, event: UserEvent) -> None:
        try:
            self._hub.deliver(event)
        except Exception:  # never the caller's failure
            log.exception("events_deliver_failed", type=event.type)


class InProcessEventRelay:
    """Implements application.ports.events.EventRelay: every publisher is local, nothing to bring in."""

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None
