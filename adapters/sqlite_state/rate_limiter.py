"""The RateLimiter port on the state file: the tier windows (minute, hour, day, aligned as in
domain.tiers) counted in one write transaction per request, so the limits are exact across the
processes of one machine (the API, every CLI command, the bot)."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from adapters.sqlite_state.store import StateFile
from application.ports.clock import Clock
from application.ports.rate_limiter import RateDecision, RateLimiterUnavailable, WindowUsage
from domain.tiers import Window, window_reset, window_start

UNAVAILABLE = "Questions are temporarily unavailable (the request counter cannot be read); try again shortly."
_SWEEP_EVERY = 1000  # hits between removals of counters of windows long gone


class SqliteRateLimiter:
    """Implements application.ports.rate_limiter.RateLimiter."""

    def __init__(self, path: Path | str, clock: Clock) -> None:
        self.file = StateFile(path)
        self._clock = clock
        self._hits = 0
        self._lock = threading.Lock()

    def hit(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        """Count one request in every window if all have room; otherwise count none."""
        return self._guarded(key, limits, count=True)

    def peek(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        return self._guarded(key, limits, count=False)

    def _guarded(self, key: str, limits: Mapping[Window, int], *, count: bool) -> RateDecision:
        try:
            decision = self._decide(key, limits, count=count)
        except sqlite3.Error as error:
            raise RateLimiterUnavailable(UNAVAILABLE, service="rate limiter", reason=str(error)) from error
        if count:
            self._maybe_sweep()
        return decision

    def _decide(self, key: str, limits: Mapping[Window, int], *, count: bool) -> RateDecision:
        now = self._clock.now()
        windows = [w for w in Window if w in limits]
        starts = {w: int(window_start(now, w).timestamp()) for w in windows}
        transaction = self.file.write() if count else contextlib.nullcontext(self.file.read())
        with transaction as connection:
            held = {row[0]: (row[1], row[2]) for row in connection.execute(
                "SELECT window, start, used FROM windows WHERE key = ?", (key,))}
            used = {w: held[w.value][1] if w.value in held and held[w.value][0] == starts[w] else 0 for w in windows}
            allowed = all(used[w] < limits[w] for w in windows)
            if count and allowed and windows:
                used = {w: n + 1 for w, n in used.items()}
                connection.executemany("INSERT OR REPLACE INTO windows (key, window, start, used) VALUES (?, ?, ?, ?)",
                                       [(key, w.value, starts[w], used[w]) for w in windows])
        return RateDecision(allowed=allowed, windows=tuple(
            WindowUsage(window=w, limit=limits[w], used=used[w], reset_at=window_reset(now, w)) for w in windows))

    def _maybe_sweep(self) -> None:
        with self._lock:
            self._hits += 1
            if self._hits % _SWEEP_EVERY:
                return
        stale = int((self._clock.now() - timedelta(days=2)).timestamp())  # older than any day window
        try:
            with self.file.write() as connection:
                connection.execute("DELETE FROM windows WHERE start < ?", (stale,))
        except sqlite3.Error:  # a sweep can wait for the next one
            return
