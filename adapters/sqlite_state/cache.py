"""The Cache port on the state file: entries with a time-to-live, the same in every process."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from adapters.sqlite_state.store import StateFile
from application.ports.cache import CacheUnavailable

UNAVAILABLE = "The answer cache is unavailable right now; try again shortly."
_PURGE_EVERY = 500  # writes between sweeps of expired entries (and of the oldest beyond max_items)


class SqliteCache:
    """Implements application.ports.cache.Cache. ``clock`` returns wall-clock seconds (shared by processes)."""

    def __init__(self, path: Path | str, *, max_items: int = 100_000, clock: Callable[[], float] = time.time) -> None:
        self.file = StateFile(path)
        self._max_items, self._clock = max_items, clock
        self._writes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        try:
            row = self.file.read().execute("SELECT value FROM cache WHERE key = ? AND expires > ?",
                                           (key, self._clock())).fetchone()
        except sqlite3.Error as error:
            raise CacheUnavailable(UNAVAILABLE, service="cache", reason=str(error)) from error
        return bytes(row[0]) if row is not None else None

    def get_local(self, key: str) -> bytes | None:
        return None  # every read is a (fast, local) file read: ask ``get``

    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None:
        """Store ``value`` for ``ttl_seconds``; a TTL of zero or less removes the key."""
        if ttl_seconds <= 0:
            self.delete(key)
            return
        self._write("INSERT OR REPLACE INTO cache (key, value, expires) VALUES (?, ?, ?)",
                    (key, value, self._clock() + ttl_seconds))

    def add(self, key: str, value: bytes, *, ttl_seconds: int) -> bool:
        if ttl_seconds <= 0:
            return False
        now = self._clock()
        try:
            with self.file.write() as connection:
                connection.execute("DELETE FROM cache WHERE key = ? AND expires <= ?", (key, now))
                stored = connection.execute("INSERT OR IGNORE INTO cache (key, value, expires) VALUES (?, ?, ?)",
                                            (key, value, now + ttl_seconds)).rowcount == 1
        except sqlite3.Error as error:
            raise CacheUnavailable(UNAVAILABLE, service="cache", reason=str(error)) from error
        self._maybe_purge()
        return stored

    def delete(self, key: str) -> None:
        self._write("DELETE FROM cache WHERE key = ?", (key,))

    def __len__(self) -> int:
        return self.file.read().execute("SELECT count(*) FROM cache").fetchone()[0]

    def _write(self, statement: str, parameters: tuple) -> None:
        try:
            with self.file.write() as connection:
                connection.execute(statement, parameters)
        except sqlite3.Error as error:
            raise CacheUnavailable(UNAVAILABLE, service="cache", reason=str(error)) from error
        self._maybe_purge()

    def _maybe_purge(self) -> None:
        with self._lock:
            self._writes += 1
            if self._writes % _PURGE_EVERY:
                return
        try:
            with self.file.write() as connection:
                connection.execute("DELETE FROM cache WHERE expires <= ?", (self._clock(),))
                connection.execute("DELETE FROM cache WHERE key IN (SELECT key FROM cache ORDER BY expires DESC "
                                   "LIMIT -1 OFFSET ?)", (self._max_items,))
        except sqlite3.Error:  # a sweep can wait for the next one
            return
