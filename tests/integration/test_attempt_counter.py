"""LimitsAttemptCounter, the login throttle's counter, on both of its backends (``memory://`` for
one process, the real Redis for several): the port's semantics, exactness under concurrent
callers (across processes on Redis), and a clear ServiceUnavailable when Redis is away."""

from __future__ import annotations

import multiprocessing
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from adapters.ratelimit.attempts import LimitsAttemptCounter
from application.ports.attempts import AttemptLimit
from application.ports.rate_limiter import RateLimiterUnavailable
from domain.errors import ServiceUnavailable

LIMIT = AttemptLimit(attempts=3, seconds=2)


@pytest.fixture(params=["memory", "redis"])
def counter(request: pytest.FixtureRequest) -> LimitsAttemptCounter:
    if request.param == "memory":
        return LimitsAttemptCounter("memory://")
    url, prefix = request.getfixturevalue("redis_server_url"), request.getfixturevalue("redis_prefix")
    return LimitsAttemptCounter(url, prefix=prefix)


def test_admits_up_to_the_limit_then_says_when_to_retry(counter: LimitsAttemptCounter) -> None:
    key = uuid.uuid4().hex
    assert counter.allowed(key, LIMIT).allowed  # asking counts nothing
    assert [counter.hit(key, LIMIT).allowed for _ in range(4)] == [True, True, True, False]
    refused = counter.allowed(key, LIMIT)
    assert not refused.allowed and 1 <= refused.retry_after <= 2
    assert counter.hit("another", LIMIT).allowed
    time.sleep(2.1)  # the window slides past the three attempts (the refused one was not counted)
    assert [counter.hit(key, LIMIT).allowed for _ in range(4)] == [True, True, True, False]
    counter.clear(key, LIMIT)
    assert counter.hit(key, LIMIT).allowed


def test_exact_under_concurrent_callers(counter: LimitsAttemptCounter) -> None:
    key, limit = uuid.uuid4().hex, AttemptLimit(attempts=10, seconds=60)
    with ThreadPoolExecutor(20) as pool:
        admitted = sum(pool.map(lambda _: counter.hit(key, limit).allowed, range(60)))
    assert admitted == 10


def _hammer(url: str, prefix: str, key: str, results: multiprocessing.Queue) -> None:
    counter, limit = LimitsAttemptCounter(url, prefix=prefix), AttemptLimit(attempts=25, seconds=60)
    with ThreadPoolExecutor(20) as pool:
        results.put(sum(pool.map(lambda _: counter.hit(key, limit).allowed, range(40))))


def test_exact_across_processes_on_redis(redis_server_url: str, redis_prefix: str) -> None:
    key, results = uuid.uuid4().hex, multiprocessing.get_context("spawn").Queue()
    workers = [multiprocessing.get_context("spawn").Process(target=_hammer, args=(redis_server_url, redis_prefix,
                                                                                 key, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    admitted = results.get(timeout=60) + results.get(timeout=60)
    for worker in workers:
        worker.join(10)
    assert admitted == 25


def test_an_unreachable_redis_refuses_attempts_in_plain_words() -> None:
    counter = LimitsAttemptCounter("redis://127.0.0.1:1/0")
    with pytest.raises(RateLimiterUnavailable) as refused:
        counter.hit("k", LIMIT)
    assert isinstance(refused.value, ServiceUnavailable) and "127.0.0.1" not in refused.value.message
