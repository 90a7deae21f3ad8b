"""Counting attempts of something guessable (a login) per key over a sliding window."""

from __future__ import annotations

from typing import Protocol

import attrs


@attrs.frozen(kw_only=True)
class AttemptLimit:
    attempts: int  # admitted within any ``seconds`` long stretch
    seconds: int


@attrs.frozen(kw_only=True)
class AttemptDecision:
    allowed: bool
    retry_after: int  # seconds until one more attempt is admitted (0 when allowed)


class AttemptCounter(Protocol):
    """Exact across the processes sharing the backend: of callers racing for the last admitted
    attempt, exactly one gets it. A backend that cannot be reached raises RateLimiterUnavailable
    (application.ports.rate_limiter): attempts are refused, never uncounted."""

    def hit(self, key: str, limit: AttemptLimit) -> AttemptDecision:
        """Count one attempt if the window has room; a refused attempt is not counted."""
        ...
    def allowed(self, key: str, limit: AttemptLimit) -> AttemptDecision:
        """Whether one more attempt would be admitted, counting nothing."""
        ...
    def clear(self, key: str, limit: AttemptLimit) -> None:
        """Forget the key's attempts (after a success)."""
        ...
