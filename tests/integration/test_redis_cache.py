"""RedisCache and LayeredCache against the real Redis: TTLs, sharing between processes,
deletions reaching every process, and a safe miss while Redis is away."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from adapters.cache.layered import LayeredCache
from adapters.cache.redis import RedisCache, connect
from application.ports.cache import CacheUnavailable
from domain.errors import ServiceUnavailable


def test_redis_cache_round_trip_and_ttl(redis_server_url: str, redis_prefix: str) -> None:
    cache = RedisCache(connect(redis_server_url), prefix=redis_prefix)
    assert cache.get("k") is None
    cache.set("k", b"v", ttl_seconds=60)
    assert cache.get("k") == b"v"
    assert 0 < cache.client.ttl(f"{redis_prefix}cache:k") <= 60
    cache.set("k", b"v", ttl_seconds=0)
    assert cache.get("k") is None
    cache.set("short", b"v", ttl_seconds=1)
    time.sleep(1.2)
    assert cache.get("short") is None


def test_redis_cache_down_raises_service_unavailable() -> None:
    cache = RedisCache(connect("redis://127.0.0.1:1/0"))
    with pytest.raises(CacheUnavailable) as caught:
        cache.get("k")
    assert isinstance(caught.value, ServiceUnavailable)


def test_layered_cache_is_a_miss_when_redis_is_down() -> None:
    cache = LayeredCache(RedisCache(connect("redis://127.0.0.1:1/0")), l1_ttl=30, listen=False)
    assert cache.get("k") is None
    cache.set("k", b"v", ttl_seconds=60)  # kept in L1 only, no error
    assert cache.get("k") == b"v"
    cache.delete("k")
    assert cache.get("k") is None


def test_add_is_set_if_absent_across_clients_and_in_l1_while_redis_is_down(redis_server_url: str,
                                                                          redis_prefix: str) -> None:
    first, second = (LayeredCache(RedisCache(connect(redis_server_url), prefix=redis_prefix), l1_ttl=30,
                                  listen=False) for _ in range(2))  # two processes' caches
    assert first.add("told", b"1", ttl_seconds=60) is True
    assert second.add("told", b"1", ttl_seconds=60) is False  # its L1 is empty: Redis decided
    assert first.add("told", b"1", ttl_seconds=60) is False
    down = LayeredCache(RedisCache(connect("redis://127.0.0.1:1/0")), l1_ttl=30, listen=False)
    assert down.add("k", b"v", ttl_seconds=60) is True and down.add("k", b"v", ttl_seconds=60) is False
    with pytest.raises(CacheUnavailable):
        RedisCache(connect("redis://127.0.0.1:1/0")).add("k", b"v", ttl_seconds=60)


def _other_process(url: str, prefix: str, commands: multiprocessing.Queue, answers: multiprocessing.Queue) -> None:
    cache = LayeredCache(RedisCache(connect(url), prefix=prefix), l1_ttl=300)
    cache.subscribed.wait(10)
    answers.put("ready")
    while (command := commands.get(timeout=60)) != "stop":
        op, key, *value = command
        if op == "get":
            answers.put(cache.get(key))
        elif op == "set":
            cache.set(key, value[0], ttl_seconds=300)
            answers.put("ok")


def test_shared_between_processes_and_deletion_reaches_every_l1(redis_server_url: str, redis_prefix: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    commands, answers = ctx.Queue(), ctx.Queue()
    other = ctx.Process(target=_other_process, args=(redis_server_url, redis_prefix, commands, answers))
    other.start()
    try:
        assert answers.get(timeout=30) == "ready"
        here = LayeredCache(RedisCache(connect(redis_server_url), prefix=redis_prefix), l1_ttl=300)
        assert here.subscribed.wait(10)
        commands.put(("set", "answer", b"42"))
        assert answers.get(timeout=10) == "ok"
        assert here.get("answer") == b"42"  # written by the other process, read through L2
        commands.put(("get", "answer"))
        assert answers.get(timeout=10) == b"42"  # now also in the other process's L1
        here.delete("answer")
        deadline = time.monotonic() + 5
        while True:  # the announcement drops it from the other L1 (its L1 TTL is 300 s)
            commands.put(("get", "answer"))
            value = answers.get(timeout=10)
            if value is None or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert value is None
        assert here.get("answer") is None
        here.close()
    finally:
        commands.put("stop")
        other.join(10)
