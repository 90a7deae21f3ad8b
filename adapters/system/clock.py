"""The real clock."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Implements application.ports.clock.Clock with the system time."""

    def now(self) -> datetime:
        """An aware datetime in UTC."""
        return datetime.now(UTC)
