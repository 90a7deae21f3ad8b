"""Request rate limits per key over fixed windows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

import attrs

from application.errors import TransientError
from domain.errors import ServiceUnavailable
from domain.tiers import Window


class RateLimiterUnavailable(TransientError, ServiceUnavailable):
    """The shared counters cannot be reached: requests are refused (fail closed), never uncounted."""


@attrs.frozen(kw_only=True)
class WindowUsage:
    window: Window
    limit: int
    used: int
    reset_at: datetime

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


@attrs.frozen(kw_only=True)
class RateDecision:
    allowed: bool
    windows: tuple[WindowUsage, ...]

    @property
    def exhausted(self) -> WindowUsage | None:
        """The window that refused the request (the one resetting last), if any."""
        full = [w for w in self.windows if w.used >= w.limit]
        return max(full, key=lambda w: w.reset_at) if not self.allowed and full else None


class RateLimiter(Protocol):
    def hit(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        """Count one request in every window if all have room; otherwise count none."""
        ...
    def peek(self, key: str, limits: Mapping[Window, int]) -> RateDecision: ...
