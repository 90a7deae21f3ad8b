"""In-process fixed-window rate limits (one process only; production uses a shared store).

Windows are aligned with domain.tiers.window_start, so every adapter and every message agrees on
when a window resets. A counter is kept per (key, window) together with the start of the window
it counts; a counter from an earlier window reads as zero and is replaced on the next hit, and a
sweep at most once a minute drops every stale counter, so memory follows the active keys only.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from application.ports.clock import Clock
from application.ports.rate_limiter import RateDecision, WindowUsage
from domain.tiers import Window, window_reset, window_start

_SWEEP_EVERY = timedelta(seconds=60)


class MemoryRateLimiter:
    """Implements application.ports.rate_limiter.RateLimiter; thread-safe."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._counters: dict[str, dict[Window, tuple[datetime, int]]] = {}
        self._lock = threading.Lock()
        self._next_sweep: datetime | None = None

    def hit(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        """Count one request in every window if all have room; otherwise count none."""
        return self._decide(key, limits, count=True)

    def peek(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        return self._decide(key, limits, count=False)

    def __len__(self) -> int:
        """Keys with at least one counter held."""
        with self._lock:
            return len(self._counters)

    def _decide(self, key: str, limits: Mapping[Window, int], *, count: bool) -> RateDecision:
        now = self._clock.now()
        windows = [w for w in Window if w in limits]
        with self._lock:
            self._maybe_sweep(now)
            held = self._counters.get(key, {})
            starts = {w: window_start(now, w) for w in windows}
            used = {w: held[w][1] if w in held and held[w][0] == starts[w] else 0 for w in windows}
            allowed = all(used[w] < limits[w] for w in windows)
            if count and allowed and windows:
                used = {w: n + 1 for w, n in used.items()}
                self._counters[key] = {w: (starts[w], used[w]) for w in windows} | {
                    w: v for w, v in held.items() if w not in used
                }
        usage = tuple(
            WindowUsage(window=w, limit=limits[w], used=used[w], reset_at=window_reset(now, w)) for w in windows
        )
        return RateDecision(allowed=allowed, windows=usage)

    def _maybe_sweep(self, now: datetime) -> None:
        if self._next_sweep is not None and self._next_sweep - _SWEEP_EVERY <= now < self._next_sweep:
            return  # swept less than a minute ago (a clock moved backwards sweeps again)
        self._next_sweep = now + _SWEEP_EVERY
        for key in list(self._counters):
            fresh = {w: v for w, v in self._counters[key].items() if v[0] == window_start(now, w)}
            if fresh:
                self._counters[key] = fresh
            else:
                del self._counters[key]
