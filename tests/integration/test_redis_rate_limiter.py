"""RedisRateLimiter against the real Redis: the port's semantics, exactness across processes,
and a clear ServiceUnavailable when Redis is away."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from adapters.ratelimit.redis import RedisRateLimiter
from adapters.system.clock import SystemClock
from application.ports.rate_limiter import RateLimiterUnavailable
from domain.errors import ServiceUnavailable
from domain.tiers import Window
from tests.fakes import FakeClock


def test_counts_every_window_until_one_is_full(redis_server_url: str, redis_prefix: str) -> None:
    clock = FakeClock(datetime(2026, 1, 5, 9, 0, 30, tzinfo=UTC))
    limiter = RedisRateLimiter(redis_server_url, clock, prefix=redis_prefix)
    limits = {Window.MINUTE: 3, Window.HOUR: 5}
    assert [limiter.hit("u", limits).allowed for _ in range(4)] == [True, True, True, False]
    usage = {w.window: w for w in limiter.peek("u", limits).windows}
    assert (usage[Window.MINUTE].used, usage[Window.HOUR].used) == (3, 3)  # the refused hit counted nowhere
    assert usage[Window.MINUTE].reset_at == datetime(2026, 1, 5, 9, 1, tzinfo=UTC)
    assert usage[Window.HOUR].remaining == 2
    refused = limiter.hit("u", limits)
    assert refused.exhausted is not None and refused.exhausted.window is Window.MINUTE
    clock.advance(60)  # the next aligned minute: a fresh minute counter, the same hour counter
    assert [limiter.hit("u", limits).allowed for _ in range(3)] == [True, True, False]
    refused = limiter.hit("u", limits)
    assert refused.exhausted is not None and refused.exhausted.window is Window.HOUR
    minute = next(w for w in limiter.peek("u", limits).windows if w.window is Window.MINUTE)
    assert minute.used == 2  # the hits the hour refused were taken back from the minute
    assert limiter.peek("other", limits).allowed


def _hammer(url: str, prefix: str, threads: int, calls: int, queue: multiprocessing.Queue) -> None:
    limiter = RedisRateLimiter(url, SystemClock(), prefix=prefix)
    limits = {Window.DAY: 60, Window.HOUR: 1000}
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda _: limiter.hit("shared", limits).allowed, range(threads * calls)))
    queue.put(sum(results))


def test_exact_across_two_processes_of_fifty_threads(redis_server_url: str, redis_prefix: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue = ctx.Queue()
    procs = [ctx.Process(target=_hammer, args=(redis_server_url, redis_prefix, 50, 4, results)) for _ in range(2)]
    for p in procs:
        p.start()
    admitted = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
    assert sum(admitted) == 60  # 400 concurrent attempts, exactly the day's limit admitted
    limiter = RedisRateLimiter(redis_server_url, SystemClock(), prefix=redis_prefix)
    usage = {w.window: w.used for w in limiter.peek("shared", {Window.DAY: 60, Window.HOUR: 1000}).windows}
    assert usage == {Window.HOUR: 60, Window.DAY: 60}


def test_redis_down_is_service_unavailable() -> None:
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", SystemClock())
    with pytest.raises(RateLimiterUnavailable) as caught:
        limiter.hit("u", {Window.MINUTE: 3})
    assert isinstance(caught.value, ServiceUnavailable) and caught.value.code == "service_unavailable"
    with pytest.raises(ServiceUnavailable):
        limiter.peek("u", {Window.MINUTE: 3})
