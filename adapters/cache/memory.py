"""A thread-safe in-process cache with per-entry time-to-live and least-recently-used eviction."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class MemoryCache:
    """Implements application.ports.cache.Cache. ``clock`` returns seconds (monotonic by default).

    Expired entries are invisible and removed when met; beyond ``max_items`` the least recently
    used entry is evicted (expired ones first when the store is full).
    """

    def __init__(self, max_items: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        if max_items < 1:
            raise ValueError("max_items must be >= 1")
        self._max_items = max_items
        self._clock = clock
        self._items: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            value, expires_at = entry
            if expires_at <= self._clock():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def get_local(self, key: str) -> bytes | None:
        return self.get(key)

    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None:
        """Store ``value`` for ``ttl_seconds``; a TTL of zero or less removes the key."""
        with self._lock:
            if ttl_seconds <= 0:
                self._items.pop(key, None)
                return
            self._store(key, value, ttl_seconds)

    def add(self, key: str, value: bytes, *, ttl_seconds: int) -> bool:
        with self._lock:
            entry = self._items.get(key)
            if (entry is not None and entry[1] > self._clock()) or ttl_seconds <= 0:
                return False
            self._store(key, value, ttl_seconds)
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def __len__(self) -> int:
        """Entries held, expired ones included until they are met or purged."""
        with self._lock:
            return len(self._items)

    def _store(self, key: str, value: bytes, ttl_seconds: int) -> None:
        """Under the lock."""
        now = self._clock()
        self._items[key] = (value, now + ttl_seconds)
        self._items.move_to_end(key)
        if len(self._items) > self._max_items:
            self._purge_expired(now)
        while len(self._items) > self._max_items:
            self._items.popitem(last=False)

    def _purge_expired(self, now: float) -> None:
        for key in [k for k, (_, expires_at) in self._items.items() if expires_at <= now]:
            del self._items[key]
