"""Publishing a user's event from a use case: after the commit whose change it reports, and
never at the cost of the use case (a publisher that fails is logged, the work stands)."""

from __future__ import annotations

import structlog

from application.ports.events import EventPublisher
from application.ports.rate_limiter import RateDecision
from domain.events import QuotaChanged, QuotaWindow, UserEvent
from domain.users import User

log = structlog.get_logger(__name__)


def publish(publisher: EventPublisher | None, event: UserEvent) -> None:
    """Hand ``event`` to ``publisher`` (None: events are not wired, as in some unit tests)."""
    if publisher is None:
        return
    try:
        publisher.publish(event)
    except Exception:  # the port says it never raises; a broken adapter still must not undo the work
        log.warning("event_publish_failed", type=event.type, exc_info=True)


def quota_changed(user: User, decision: RateDecision) -> QuotaChanged:
    """The user's question windows after the question ``decision`` admitted."""
    return QuotaChanged(user_id=user.id, tier=user.tier.value, windows=tuple(
        QuotaWindow(window=w.window.value, limit=w.limit, used=w.used, reset_at=w.reset_at)
        for w in decision.windows))
