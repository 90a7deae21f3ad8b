"""An in-process L1 (MemoryCache) in front of the shared L2 (RedisCache).

Reads try L1, then L2 (filling L1 for at most ``l1_ttl`` seconds); writes go to both. A delete
removes the key from L2 and announces it on a Redis channel; every process listens in a daemon
thread and drops the key from its L1, so a deletion reaches all processes at once. Whenever the
listener loses Redis it empties its L1 (it may have missed announcements), and ``l1_ttl`` bounds
any staleness that is left.

Degraded mode: with Redis down the cache is a miss (answers are computed again) and writes stay
in L1 only; it never fails the caller. The rate limiter, not the cache, refuses requests then.
"""

from __future__ import annotations

import threading

import structlog

from adapters.cache.memory import MemoryCache
from adapters.cache.redis import REDIS_ERRORS, RedisCache
from application.ports.cache import CacheUnavailable

log = structlog.get_logger(__name__)


class LayeredCache:
    """Implements application.ports.cache.Cache."""

    def __init__(self, l2: RedisCache, *, l1_ttl: int = 30, l1_items: int = 10_000, listen: bool = True) -> None:
        self._l2, self._l1_ttl, self._l1_items = l2, l1_ttl, l1_items
        self._l1 = MemoryCache(max_items=l1_items)
        self._closed = threading.Event()
        self.subscribed = threading.Event()
        if listen and l1_ttl > 0:
            threading.Thread(target=self._listen, name="cache-invalidations", daemon=True).start()

    def get(self, key: str) -> bytes | None:
        value = self._l1.get(key)
        if value is not None:
            return value
        try:
            value = self._l2.get(key)
        except CacheUnavailable:
            log.warning("cache_l2_unavailable", op="get")
            return None
        if value is not None and self._l1_ttl > 0:
            self._l1.set(key, value, ttl_seconds=self._l1_ttl)
        return value

    def get_local(self, key: str) -> bytes | None:
        return self._l1.get(key)

    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None:
        self._l1.set(key, value, ttl_seconds=min(ttl_seconds, self._l1_ttl))
        try:
            self._l2.set(key, value, ttl_seconds=ttl_seconds)
        except CacheUnavailable:
            log.warning("cache_l2_unavailable", op="set")

    def add(self, key: str, value: bytes, *, ttl_seconds: int) -> bool:
        """Decided by L2 (shared by every process); by L1 alone while Redis is down."""
        try:
            stored = self._l2.add(key, value, ttl_seconds=ttl_seconds)
        except CacheUnavailable:
            log.warning("cache_l2_unavailable", op="add")
            return self._l1.add(key, value, ttl_seconds=min(ttl_seconds, self._l1_ttl))
        if stored:
            self._l1.set(key, value, ttl_seconds=min(ttl_seconds, self._l1_ttl))
        return stored

    def delete(self, key: str) -> None:
        self._l1.delete(key)
        try:
            self._l2.delete(key)
        except CacheUnavailable:
            log.warning("cache_l2_unavailable", op="delete")

    def close(self) -> None:
        self._closed.set()

    def _listen(self) -> None:
        while not self._closed.is_set():
            try:
                pubsub = self._l2.client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self._l2.channel)
                self._l1 = MemoryCache(max_items=self._l1_items)  # announcements may have been missed
                self.subscribed.set()
                while not self._closed.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "message":
                        self._l1.delete(message["data"].decode())
                pubsub.close()
            except REDIS_ERRORS:
                self.subscribed.clear()
                self._l1 = MemoryCache(max_items=self._l1_items)
                self._closed.wait(1.0)
            except Exception:  # never let the listener die silently
                log.exception("cache_listener_crashed")
                self._closed.wait(1.0)
