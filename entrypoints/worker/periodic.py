"""A job a worker process runs every ``interval`` seconds in a daemon thread (the recovery sweep,
the analytics rollup, retention): ``once`` is called and never lets an error out, so the worker
keeps going and the next interval tries again."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import structlog

log = structlog.get_logger(__name__)

T = TypeVar("T")


def guarded(event: str, run: Callable[[], T], failed: T = False) -> T:
    """``run()``, or ``failed`` after logging ``event`` when it raised (e.g. the database is away)."""
    try:
        return run()
    except Exception as error:
        log.error(event, error=f"{type(error).__name__}: {error}".splitlines()[0])
        log.debug(f"{event}_details", exc_info=True)
        return failed


class PeriodicJob(threading.Thread):
    def __init__(self, name: str, once: Callable[[], object], *, interval: float, at_start: bool) -> None:
        super().__init__(name=name, daemon=True)
        self._once, self._interval, self._at_start = once, interval, at_start
        self._stopped = threading.Event()

    def run(self) -> None:
        if self._at_start:
            self._once()
        while not self._stopped.wait(self._interval):
            self._once()

    def stop(self) -> None:
        self._stopped.set()
