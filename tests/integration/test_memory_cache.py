import threading
from collections.abc import Callable

import pytest

from adapters.cache.memory import MemoryCache
from tests.fakes import FakeTicks


@pytest.fixture
def clock() -> FakeTicks:
    return FakeTicks(1000.0)


def in_threads(target: Callable[[int], None], count: int) -> None:
    """``target(n)`` in ``count`` threads at once, n = 0 .. count-1; returns when all are done."""
    threads = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_get_set_delete(clock: FakeTicks) -> None:
    cache = MemoryCache(clock=clock)
    assert cache.get("a") is None
    cache.set("a", b"1", ttl_seconds=10)
    assert cache.get("a") == b"1"
    cache.set("a", b"2", ttl_seconds=10)
    assert cache.get("a") == b"2"
    cache.delete("a")
    cache.delete("a")
    assert cache.get("a") is None


def test_entries_expire_at_their_ttl(clock: FakeTicks) -> None:
    cache = MemoryCache(clock=clock)
    cache.set("a", b"1", ttl_seconds=10)
    clock.now += 9.999
    assert cache.get("a") == b"1"
    clock.now += 0.001
    assert cache.get("a") is None
    assert len(cache) == 0, "an expired entry is dropped when met"


def test_setting_again_renews_the_ttl(clock: FakeTicks) -> None:
    cache = MemoryCache(clock=clock)
    cache.set("a", b"1", ttl_seconds=10)
    clock.now += 8
    cache.set("a", b"1", ttl_seconds=10)
    clock.now += 8
    assert cache.get("a") == b"1"


def test_non_positive_ttl_stores_nothing(clock: FakeTicks) -> None:
    cache = MemoryCache(clock=clock)
    cache.set("a", b"1", ttl_seconds=10)
    cache.set("a", b"2", ttl_seconds=0)
    assert cache.get("a") is None


def test_least_recently_used_is_evicted(clock: FakeTicks) -> None:
    cache = MemoryCache(max_items=3, clock=clock)
    for key in "abc":
        cache.set(key, key.encode(), ttl_seconds=60)
    assert cache.get("a") == b"a"  # "b" is now the least recently used
    cache.set("d", b"d", ttl_seconds=60)
    assert len(cache) == 3
    assert cache.get("b") is None
    assert [cache.get(k) for k in "acd"] == [b"a", b"c", b"d"]


def test_expired_entries_go_before_live_ones(clock: FakeTicks) -> None:
    cache = MemoryCache(max_items=3, clock=clock)
    cache.set("old", b"x", ttl_seconds=60)
    cache.set("short1", b"x", ttl_seconds=1)
    cache.set("short2", b"x", ttl_seconds=1)
    clock.now += 2
    cache.set("new", b"x", ttl_seconds=60)
    assert cache.get("old") == b"x" and cache.get("new") == b"x"
    assert len(cache) == 2


def test_thread_safe_under_concurrent_use(clock: FakeTicks) -> None:
    cache = MemoryCache(max_items=100, clock=clock)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(2000):
                key = f"{n}-{i % 150}"
                cache.set(key, b"v", ttl_seconds=60)
                cache.get(key)
                if i % 7 == 0:
                    cache.delete(key)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    in_threads(work, 8)
    assert not errors
    assert len(cache) <= 100


def test_add_stores_only_when_absent_and_one_racer_wins(clock: FakeTicks) -> None:
    cache = MemoryCache(clock=clock)
    assert cache.add("k", b"first", ttl_seconds=10) is True
    assert cache.add("k", b"second", ttl_seconds=10) is False and cache.get("k") == b"first"
    clock.now += 10  # expired: absent again
    assert cache.add("k", b"third", ttl_seconds=10) is True and cache.get("k") == b"third"
    assert cache.add("none", b"x", ttl_seconds=0) is False and cache.get("none") is None
    barrier, wins = threading.Barrier(16), []

    def race(n: int) -> None:
        barrier.wait()
        if cache.add("raced", str(n).encode(), ttl_seconds=10):
            wins.append(n)

    in_threads(race, 16)
    assert len(wins) == 1 and cache.get("raced") == str(wins[0]).encode()
