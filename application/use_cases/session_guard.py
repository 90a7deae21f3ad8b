"""Is an access token's session still live? Asked on every request made with an access token.

The answer comes from the sessions table, remembered in this process: a live session for
``recheck_seconds`` (then read again), an ended one until the process stops. A session ended in
this process (logout, password change, a reused refresh token) is known at once; one ended in
another API process is seen here within ``recheck_seconds`` (ASSISTANT_SESSION_RECHECK_SECONDS;
0 reads the table on every request)."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable

import attrs

from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from domain.errors import SessionEnded

REMEMBERED = 100_000  # sessions per process; the least recently checked are forgotten first
ENDED = "This session has ended (logged out, or the password was changed): log in again."


@attrs.define
class SessionGuard:
    """One per process, shared by every request's thread: each database read takes a fresh unit of
    work from ``unit_of_work``."""

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    recheck_seconds: float = 5.0
    _live: OrderedDict[uuid.UUID, tuple[uuid.UUID, float]] = attrs.field(factory=OrderedDict, init=False)
    # session id -> (its user, when it was read live)
    _ended: OrderedDict[uuid.UUID, None] = attrs.field(factory=OrderedDict, init=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False)

    def known(self, user_id: uuid.UUID, session_id: uuid.UUID) -> bool | None:
        """True (the user's, live) or False (ended) when this process knows without a database read;
        None: ask ``check``."""
        with self._lock:
            if session_id in self._ended:
                return False
            live = self._live.get(session_id)
            if live is not None and live[0] == user_id and time.monotonic() - live[1] < self.recheck_seconds:
                return True
        return None

    def check(self, user_id: uuid.UUID, session_id: uuid.UUID) -> None:
        """SessionEnded unless the session is the user's and live (read from the database if need be)."""
        state = self.known(user_id, session_id)
        if state is None:
            with self.unit_of_work() as uow:
                session = uow.sessions.get(session_id)
            if session is None or session.user_id != user_id:  # no such session of this user: nothing to remember
                raise SessionEnded(ENDED)
            state = session.is_active(self.clock.now())
            self._remember(session_id, user_id if state else None)
        if not state:
            raise SessionEnded(ENDED)

    def ended(self, session_ids: Iterable[uuid.UUID]) -> None:
        """Sessions this process has just ended: refused from now on, with no database read."""
        for session_id in session_ids:
            self._remember(session_id, None)

    def _remember(self, session_id: uuid.UUID, live_for: uuid.UUID | None) -> None:
        """Live for the user ``live_for``, or ended (None)."""
        with self._lock:
            if live_for is not None:
                self._live[session_id] = (live_for, time.monotonic())
                self._live.move_to_end(session_id)
            else:
                self._live.pop(session_id, None)
                self._ended[session_id] = None
            for remembered in (self._live, self._ended):
                while len(remembered) > REMEMBERED:
                    remembered.popitem(last=False)
