"""The retention job, every ``interval`` seconds in a daemon thread of each worker process (first
run one interval after start): ApplyRetention when a tier sets keep_conversations_days or
keep_documents_days, nothing (not even an audit entry) otherwise. Several workers may each run it:
a run is idempotent (a second one finds nothing more to delete), and each run is audited."""

from __future__ import annotations

import threading

import structlog

from config.container import Container

log = structlog.get_logger(__name__)


def retain_once(container: Container) -> bool:
    """One run when retention is configured; True when it ran. Never raises (the worker keeps going)."""
    try:
        use_case = container.apply_retention()
        if not use_case.configured():
            return False
        use_case()
        return True
    except Exception as error:  # e.g. the database is away: try again at the next interval
        log.error("retention_failed", error=f"{type(error).__name__}: {error}".splitlines()[0])
        log.debug("retention_failed_details", exc_info=True)
        return False


class RetentionJob(threading.Thread):
    def __init__(self, container: Container, *, interval: float) -> None:
        super().__init__(name="retention", daemon=True)
        self._container, self._interval = container, interval
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self._interval):
            retain_once(self._container)

    def stop(self) -> None:
        self._stopped.set()
