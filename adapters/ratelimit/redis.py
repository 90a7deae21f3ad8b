"""Fixed-window rate limits shared by every process, on Redis through the ``limits`` package.

Each window is aligned with domain.tiers.window_start (the start is part of the counter's key),
so the reset time is the same in every message and header. A hit increments the windows one by
one (minute, hour, day) with ``limits``' atomic INCR+EXPIRE; the first window whose new count
exceeds its limit refuses the request, and the increments already made, its own included, are
taken back. Admission is therefore exact across processes: a request is admitted only when its
own increment landed within the limit in every window. Two racing callers may both be refused
for the instant one of them holds an increment it gives back (a false refusal, never a false
admission). Redis errors become RateLimiterUnavailable: requests are refused, never uncounted.
"""

from __future__ import annotations

from collections.abc import Mapping

from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerHour, RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter

from application.ports.clock import Clock
from application.ports.rate_limiter import RateDecision, RateLimiterUnavailable, WindowUsage
from domain.tiers import Window, window_reset, window_start

_ITEMS: dict[Window, type[RateLimitItem]] = {
    Window.MINUTE: RateLimitItemPerMinute, Window.HOUR: RateLimitItemPerHour, Window.DAY: RateLimitItemPerDay,
}
UNAVAILABLE = "Questions are temporarily unavailable (the request counter cannot be reached); try again shortly."


class RedisRateLimiter:
    """Implements application.ports.rate_limiter.RateLimiter."""

    def __init__(self, url: str, clock: Clock, prefix: str = "assistant:") -> None:
        self._clock = clock
        self.storage = RedisStorage(url, key_prefix=f"{prefix}ratelimit", wrap_exceptions=True,
                                    socket_connect_timeout=1, socket_timeout=2)
        self._strategy = FixedWindowRateLimiter(self.storage)

    def hit(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        """Count one request in every window if all have room; otherwise count none."""
        return self._guarded(self._hit, key, limits)

    def peek(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        return self._guarded(self._peek, key, limits)

    def _guarded(self, method, key: str, limits: Mapping[Window, int]) -> RateDecision:  # noqa: ANN001
        try:
            return method(key, limits)
        except StorageError as error:
            raise RateLimiterUnavailable(UNAVAILABLE, service="rate limiter", reason=str(error.storage_error)) from error

    def _counter(self, key: str, window: Window, limit: int, now) -> tuple[RateLimitItem, str]:  # noqa: ANN001
        item = _ITEMS[window](limit, namespace="questions")
        return item, item.key_for(key, int(window_start(now, window).timestamp()))

    def _hit(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        now = self._clock.now()
        windows = [w for w in Window if w in limits]
        used: dict[Window, int] = {}
        taken: list[tuple[RateLimitItem, str]] = []
        refused: Window | None = None
        for window in windows:
            item, counter = self._counter(key, window, limits[window], now)
            count = self.storage.incr(counter, item.get_expiry())
            taken.append((item, counter))
            used[window] = min(count, limits[window])
            if count > limits[window]:
                refused = window
                break
        allowed = refused is None
        if not allowed:
            for item, counter in taken:
                self.storage.incr(counter, item.get_expiry(), amount=-1)
            used = {w: (n if w is refused else n - 1) for w, n in used.items()}
            for window in windows[len(taken):]:
                used[window] = min(self.storage.get(self._counter(key, window, limits[window], now)[1]), limits[window])
        return self._decision(allowed, windows, used, limits, now)

    def _peek(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        now = self._clock.now()
        windows = [w for w in Window if w in limits]
        used = {w: min(self.storage.get(self._counter(key, w, limits[w], now)[1]), limits[w]) for w in windows}
        return self._decision(all(used[w] < limits[w] for w in windows), windows, used, limits, now)

    @staticmethod
    def _decision(allowed: bool, windows: list[Window], used: Mapping[Window, int],
                  limits: Mapping[Window, int], now) -> RateDecision:  # noqa: ANN001
        return RateDecision(allowed=allowed, windows=tuple(
            WindowUsage(window=w, limit=limits[w], used=max(0, used[w]), reset_at=window_reset(now, w))
            for w in windows))
