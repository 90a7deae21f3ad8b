"""The state file: one connection per thread and process, WAL journal, and write transactions
that take the file's write lock first (``BEGIN IMMEDIATE``), so a read-modify-write is atomic
across every process using the file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires REAL NOT NULL);
CREATE INDEX IF NOT EXISTS cache_expires ON cache (expires);
CREATE TABLE IF NOT EXISTS windows (key TEXT NOT NULL, window TEXT NOT NULL, start INTEGER NOT NULL,
                                    used INTEGER NOT NULL, PRIMARY KEY (key, window));
CREATE TABLE IF NOT EXISTS attempts (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_key_at ON attempts (key, at);
"""
BUSY_SECONDS = 10.0  # a writer waits this long for another's transaction before giving up


def _retry_while_locked(statement) -> None:  # noqa: ANN001 - a callable running one statement
    """Switching to WAL and creating the tables can meet another process doing the same: SQLite then
    answers "database is locked" at once, without waiting on its busy timeout."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            statement()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class StateFile:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._schema_lock = threading.Lock()
        self._schema_ready = False

    def _connection(self) -> sqlite3.Connection:
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == os.getpid():
            return held[1]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        with self._schema_lock:
            _retry_while_locked(lambda: connection.execute("PRAGMA journal_mode=WAL"))
            connection.execute("PRAGMA synchronous=NORMAL")
            if not self._schema_ready:
                _retry_while_locked(lambda: connection.executescript(SCHEMA))
                self._schema_ready = True
        self._local.held = (os.getpid(), connection)  # a forked child opens its own
        return connection

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A transaction holding the write lock from its first statement."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def read(self) -> sqlite3.Connection:
        return self._connection()
