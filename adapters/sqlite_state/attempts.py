"""The AttemptCounter port on the state file: each admitted attempt a row, a sliding window read
and written in one write transaction (exact across the processes of one machine)."""

from __future__ import annotations

import math
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from adapters.sqlite_state.store import StateFile
from application.ports.attempts import AttemptDecision, AttemptLimit
from application.ports.rate_limiter import RateLimiterUnavailable

UNAVAILABLE = "Logging in is unavailable right now (the attempt counter cannot be read); try again shortly."
_LONGEST = 86_400  # attempts older than this are swept whatever their window


class SqliteAttemptCounter:
    """Implements application.ports.attempts.AttemptCounter."""

    def __init__(self, path: Path | str, clock: Callable[[], float] = time.time) -> None:
        self.file = StateFile(path)
        self._clock = clock

    def hit(self, key: str, limit: AttemptLimit) -> AttemptDecision:
        return self._decide(key, limit, count=True)

    def allowed(self, key: str, limit: AttemptLimit) -> AttemptDecision:
        return self._decide(key, limit, count=False)

    def clear(self, key: str, limit: AttemptLimit) -> None:
        try:
            with self.file.write() as connection:
                connection.execute("DELETE FROM attempts WHERE key = ?", (key,))
        except sqlite3.Error as error:
            raise RateLimiterUnavailable(UNAVAILABLE, service="rate limiter", reason=str(error)) from error

    def _decide(self, key: str, limit: AttemptLimit, *, count: bool) -> AttemptDecision:
        now = self._clock()
        try:
            with self.file.write() as connection:
                connection.execute("DELETE FROM attempts WHERE (key = ? AND at <= ?) OR at <= ?",
                                    (key, now - limit.seconds, now - max(_LONGEST, limit.seconds)))
                held, oldest = connection.execute("SELECT count(*), min(at) FROM attempts WHERE key = ?",
                                                  (key,)).fetchone()
                if held < limit.attempts:
                    if count:
                        connection.execute("INSERT INTO attempts (key, at) VALUES (?, ?)", (key, now))
                    return AttemptDecision(allowed=True, retry_after=0)
        except sqlite3.Error as error:
            raise RateLimiterUnavailable(UNAVAILABLE, service="rate limiter", reason=str(error)) from error
        return AttemptDecision(allowed=False, retry_after=max(1, math.ceil(oldest + limit.seconds - now)))
