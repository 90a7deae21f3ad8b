"""RateLimit headers (IETF draft "RateLimit header fields for HTTP") from a rate decision's or a usage
report's windows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from application.ports.rate_limiter import WindowUsage


def decision_headers(windows: Sequence[WindowUsage], now: datetime | None = None) -> dict[str, str]:
    """The tightest window, the one with the fewest questions left (nothing for unlimited tiers): for the
    windows of a rate decision (the usage after the request it admitted) or of a usage report."""
    if not windows:
        return {}
    now = now or datetime.now(UTC)
    tightest = min(windows, key=lambda w: (w.remaining, w.reset_at))
    reset = max(0, int((tightest.reset_at - now).total_seconds()))
    policy = ", ".join(f"{w.limit};w={_seconds(w.window.value)}" for w in windows)
    return {"RateLimit-Limit": str(tightest.limit), "RateLimit-Remaining": str(tightest.remaining),
            "RateLimit-Reset": str(reset), "RateLimit-Policy": policy}


def _seconds(window: str) -> int:
    return {"minute": 60, "hour": 3600, "day": 86400}[window]
