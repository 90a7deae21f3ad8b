"""The recovery sweep, every ``interval`` seconds in a daemon thread of the worker process.

It calls RecoverDocuments: documents left pending for ``older_than`` seconds (a lost job, an
upload while Redis was down) or processing for ``processing_older_than`` seconds (a worker killed
mid-job) are enqueued again. Every worker sweeps; a document whose job is still waiting, or
running on a worker that is alive, is not enqueued twice (see adapters/queue/rq.py), so a
document of a worker killed with SIGKILL is processed again within about
``processing_older_than`` + ``interval`` + the liveness TTL (20 s), not after its job time limit."""

from __future__ import annotations

import threading

import structlog

from config.container import Container

log = structlog.get_logger(__name__)


def sweep_once(container: Container, older_than: float, processing_older_than: float | None = None) -> int:
    """Enqueue stuck documents again; return how many. Never raises (the worker keeps going)."""
    try:
        return len(container.recover_documents()(older_than_seconds=older_than,
                                                  processing_older_than_seconds=processing_older_than))
    except Exception as error:  # e.g. the database is away: try again at the next sweep
        log.error("sweep_failed", error=f"{type(error).__name__}: {error}".splitlines()[0])
        log.debug("sweep_failed_details", exc_info=True)
        return 0


class Sweeper(threading.Thread):
    def __init__(self, container: Container, *, interval: float, older_than: float,
                 processing_older_than: float | None = None) -> None:
        super().__init__(name="sweeper", daemon=True)
        self._container, self._interval, self._older_than = container, interval, older_than
        self._processing_older_than = processing_older_than
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self._interval):
            sweep_once(self._container, self._older_than, self._processing_older_than)

    def stop(self) -> None:
        self._stopped.set()
