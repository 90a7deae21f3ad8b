"""Sliding-window attempt counts through the ``limits`` package: ``memory://`` in one process (the
embedded profile), a Redis URL where several processes share the counts (production).

The moving window is ``limits``' own: on Redis one Lua script checks and records an attempt, so
the count is exact across processes; a refused attempt records nothing."""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import RedisStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from application.ports.attempts import AttemptDecision, AttemptLimit
from application.ports.rate_limiter import RateLimiterUnavailable

UNAVAILABLE = "Logging in is unavailable right now (the attempt counter cannot be reached); try again shortly."


class LimitsAttemptCounter:
    """Implements application.ports.attempts.AttemptCounter."""

    def __init__(self, url: str = "memory://", prefix: str = "assistant:") -> None:
        if url.startswith(("redis://", "rediss://", "unix://")):
            self.storage: Storage = RedisStorage(url, key_prefix=f"{prefix}attempts", wrap_exceptions=True,
                                                 socket_connect_timeout=1, socket_timeout=2)
        else:
            self.storage = storage_from_string(url)
        self._strategy = MovingWindowRateLimiter(self.storage)

    def hit(self, key: str, limit: AttemptLimit) -> AttemptDecision:
        return self._decide(key, limit, self._strategy.hit)

    def allowed(self, key: str, limit: AttemptLimit) -> AttemptDecision:
        return self._decide(key, limit, self._strategy.test)

    def _decide(self, key: str, limit: AttemptLimit, admits) -> AttemptDecision:  # noqa: ANN001 - hit or test
        item = _item(limit)
        try:
            if admits(item, key):
                return AttemptDecision(allowed=True, retry_after=0)
            return self._refused(item, key)
        except StorageError as error:
            raise _unavailable(error) from error

    def clear(self, key: str, limit: AttemptLimit) -> None:
        try:
            self._strategy.clear(_item(limit), key)
        except StorageError as error:
            raise _unavailable(error) from error

    def _refused(self, item: RateLimitItemPerSecond, key: str) -> AttemptDecision:
        reset = self._strategy.get_window_stats(item, key).reset_time  # when the oldest attempt leaves
        return AttemptDecision(allowed=False, retry_after=max(1, math.ceil(reset - time.time())))


def _item(limit: AttemptLimit) -> RateLimitItemPerSecond:
    return RateLimitItemPerSecond(limit.attempts, limit.seconds, namespace="login")


def _unavailable(error: StorageError) -> RateLimiterUnavailable:
    return RateLimiterUnavailable(UNAVAILABLE, service="rate limiter", reason=str(error.storage_error))
