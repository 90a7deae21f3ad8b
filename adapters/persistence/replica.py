"""Reads off the primary: the engine of read-only units of work when ASSISTANT_DATABASE_READ_URL
names a streaming replica (a hot standby).

It connects to the replica and, when the replica cannot be reached, to the primary instead, so a
replica that is away slows nothing but its own reconnect attempts: after a failed connect the
replica is left alone for ``retry_after`` seconds (no connect timeout paid per request), then
tried again. The replica's pooled connections are pinged at every checkout (one round trip), so
one left dead by a replica that went away is replaced, or the primary used, before a request
gets it; a connection that breaks in the middle of a request fails that request, as the primary's
would. Reads there lag the primary by the replication delay (usually milliseconds): only reports and
lists use it (config/container.py), never a read that must see the caller's own last write.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import structlog
from sqlalchemy import Connection, Dialect, Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from adapters.persistence.engine import make_engine

log = structlog.get_logger(__name__)

CONNECT_TIMEOUT_SECONDS = 2  # unless the read URL sets connect_timeout itself


class ReplicaFallbackEngine:
    """What SqlAlchemyUnitOfWork needs of an engine (``dialect``, ``connect()``), over two engines."""

    def __init__(self, replica: Engine, primary: Engine, *, retry_after: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.replica, self.primary, self._retry_after, self._clock = replica, primary, retry_after, clock
        self._skip_until = 0.0
        self._lock = threading.Lock()

    @property
    def dialect(self) -> Dialect:
        return self.primary.dialect

    def connect(self) -> Connection:
        if self._clock() >= self._skip_until:
            try:
                return self.replica.connect()
            except OperationalError as error:
                with self._lock:
                    self._skip_until = self._clock() + self._retry_after
                log.warning("read_replica_unavailable", error=str(error.orig or error).strip().splitlines()[0],
                            retry_after_seconds=self._retry_after)
        return self.primary.connect()

    def dispose(self) -> None:
        self.replica.dispose()


def read_engine(read_url: str | None, primary: Engine, *, pool_size: int = 20,
                transaction_pooler: bool = False) -> Engine | ReplicaFallbackEngine:
    """The primary itself without a read URL; otherwise the replica, falling back to the primary."""
    if not read_url:
        return primary
    url = make_url(read_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("ASSISTANT_DATABASE_READ_URL must be a PostgreSQL URL (a streaming replica)")
    if "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_SECONDS)})
    replica = make_engine(url.render_as_string(hide_password=False), pool_size=pool_size,
                          transaction_pooler=transaction_pooler, ping_every_checkout=True)
    return ReplicaFallbackEngine(replica, primary)
