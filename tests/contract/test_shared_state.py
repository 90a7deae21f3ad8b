"""The Cache and RateLimiter contracts on every backend that holds them: memory (one process),
the SQLite state file (the embedded profile: every process of one machine) and Redis; and the
SQLite backends' exactness across processes (2 processes x 20 threads)."""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.cache.memory import MemoryCache
from adapters.cache.redis import RedisCache, connect
from adapters.ratelimit.memory import MemoryRateLimiter
from adapters.ratelimit.redis import RedisRateLimiter
from adapters.sqlite_state.attempts import SqliteAttemptCounter
from adapters.sqlite_state.cache import SqliteCache
from adapters.sqlite_state.rate_limiter import SqliteRateLimiter
from adapters.system.clock import SystemClock
from application.ports.attempts import AttemptLimit
from domain.tiers import Window
from tests.fakes import FakeClock

BACKENDS = ["memory", "sqlite", "redis"]


@pytest.fixture(params=BACKENDS)
def cache(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201 - a Cache
    if request.param == "memory":
        return MemoryCache(clock=time.time)
    if request.param == "sqlite":
        return SqliteCache(tmp_path / "state.db")
    return RedisCache(connect(request.getfixturevalue("redis_server_url")),
                      prefix=request.getfixturevalue("redis_prefix"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 1, 5, 9, 0, 30, tzinfo=UTC))


@pytest.fixture(params=BACKENDS)
def limiter(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock):  # noqa: ANN201 - a RateLimiter
    if request.param == "memory":
        return MemoryRateLimiter(clock)
    if request.param == "sqlite":
        return SqliteRateLimiter(tmp_path / "state.db", clock)
    return RedisRateLimiter(request.getfixturevalue("redis_server_url"), clock,
                            prefix=request.getfixturevalue("redis_prefix"))


def test_cache_round_trip_ttl_add_and_delete(cache) -> None:  # noqa: ANN001
    key = uuid.uuid4().hex
    assert cache.get(key) is None
    cache.set(key, b"\x00binary\xff", ttl_seconds=60)
    assert cache.get(key) == b"\x00binary\xff"
    assert not cache.add(key, b"other", ttl_seconds=60)  # held: add stores nothing
    cache.set(key, b"v", ttl_seconds=0)  # a TTL of zero removes
    assert cache.get(key) is None
    assert cache.add(key, b"first", ttl_seconds=60) and cache.get(key) == b"first"
    cache.delete(key)
    cache.delete(key)
    assert cache.get(key) is None
    cache.set(key, b"short", ttl_seconds=1)
    time.sleep(1.1)
    assert cache.get(key) is None and cache.add(key, b"again", ttl_seconds=60)  # expired: add stores


def test_limiter_counts_every_window_until_one_is_full(limiter, clock: FakeClock) -> None:  # noqa: ANN001
    limits = {Window.MINUTE: 3, Window.HOUR: 5}
    assert [limiter.hit("u", limits).allowed for _ in range(4)] == [True, True, True, False]
    usage = {w.window: w for w in limiter.peek("u", limits).windows}
    assert (usage[Window.MINUTE].used, usage[Window.HOUR].used) == (3, 3)  # the refused hit counted nowhere
    assert usage[Window.MINUTE].reset_at == datetime(2026, 1, 5, 9, 1, tzinfo=UTC)
    clock.advance(60)  # the next aligned minute: a fresh minute counter, the same hour counter
    assert [limiter.hit("u", limits).allowed for _ in range(3)] == [True, True, False]
    refused = limiter.hit("u", limits)
    assert refused.exhausted is not None and refused.exhausted.window is Window.HOUR
    assert limiter.peek("other", limits).allowed


def _ask_in_threads(path: str, key: str, results: multiprocessing.Queue) -> None:
    limiter, cache = SqliteRateLimiter(path, SystemClock()), SqliteCache(path)
    counter = SqliteAttemptCounter(path)
    with ThreadPoolExecutor(20) as pool:
        admitted = sum(pool.map(lambda _: limiter.hit(key, {Window.DAY: 25}).allowed, range(40)))
        stored = sum(pool.map(lambda n: cache.add(f"{key}:once", str(n).encode(), ttl_seconds=60), range(40)))
        attempts = sum(pool.map(lambda _: counter.hit(key, AttemptLimit(attempts=15, seconds=60)).allowed, range(40)))
    results.put((admitted, stored, attempts))


def test_the_sqlite_backends_are_exact_across_processes(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    path, key, results = str(tmp_path / "state.db"), uuid.uuid4().hex, context.Queue()
    workers = [context.Process(target=_ask_in_threads, args=(path, key, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    totals = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(10)
    assert [sum(t[i] for t in totals) for i in range(3)] == [25, 1, 15]


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "read-only"
    folder.mkdir()
    (folder / "state.db").mkdir()  # a folder where the file should be: it cannot be opened
    yield folder / "state.db"


def test_an_unusable_state_file_is_a_plain_service_unavailable(unwritable: Path, clock: FakeClock) -> None:
    from application.ports.cache import CacheUnavailable
    from application.ports.rate_limiter import RateLimiterUnavailable

    with pytest.raises(CacheUnavailable) as cache_error:
        SqliteCache(unwritable).get("k")
    with pytest.raises(RateLimiterUnavailable) as limiter_error:
        SqliteRateLimiter(unwritable, clock).hit("u", {Window.MINUTE: 1})
    assert str(unwritable) not in cache_error.value.message + limiter_error.value.message
