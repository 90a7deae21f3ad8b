"""The analytics rollup job, in a daemon thread of each worker process: at start, then every
``interval`` seconds, RollUpAnalytics sums the closed UTC days not rolled up yet and folds the
document count changes. Several workers may each run it: a day is rolled up once (the others find
it done), and reports are right whether or not it has run (they read unrolled days from the rows)."""

from __future__ import annotations

import threading

import structlog

from config.container import Container

log = structlog.get_logger(__name__)


def roll_up_once(container: Container) -> bool:
    """One run; True when it finished. Never raises (the worker keeps going)."""
    try:
        container.roll_up_analytics()()
        return True
    except Exception as error:  # e.g. the database is away: try again at the next interval
        log.error("rollup_failed", error=f"{type(error).__name__}: {error}".splitlines()[0])
        log.debug("rollup_failed_details", exc_info=True)
        return False


class RollupJob(threading.Thread):
    def __init__(self, container: Container, *, interval: float) -> None:
        super().__init__(name="analytics-rollup", daemon=True)
        self._container, self._interval = container, interval
        self._stopped = threading.Event()

    def run(self) -> None:
        roll_up_once(self._container)
        while not self._stopped.wait(self._interval):
            roll_up_once(self._container)

    def stop(self) -> None:
        self._stopped.set()
