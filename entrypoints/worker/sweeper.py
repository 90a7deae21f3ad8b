"""The recovery sweep, every ``interval`` seconds in a daemon thread of the worker process.

It calls RecoverDocuments: documents left pending for ``older_than`` seconds (a lost job, an
upload while Redis was down) or processing for ``processing_older_than`` seconds (a worker killed
mid-job) are enqueued again. Every worker sweeps; a document whose job is still waiting, or
running on a worker that is alive, is not enqueued twice (see adapters/queue/rq.py), so a
document of a worker killed with SIGKILL is processed again within about
``processing_older_than`` + ``interval`` + the liveness TTL (20 s), not after its job time limit."""

from __future__ import annotations

from config.container import Container
from entrypoints.worker.periodic import PeriodicJob, guarded


def sweep_once(container: Container, older_than: float, processing_older_than: float | None = None) -> int:
    """Enqueue stuck documents again; return how many. Never raises (the worker keeps going)."""
    return guarded("sweep_failed", lambda: len(container.recover_documents()(
        older_than_seconds=older_than, processing_older_than_seconds=processing_older_than)), 0)


def sweeper_job(container: Container, *, interval: float, older_than: float,
                processing_older_than: float | None = None) -> PeriodicJob:
    """The sweep every ``interval`` seconds (the worker sweeps once itself before it starts this)."""
    return PeriodicJob("sweeper", lambda: sweep_once(container, older_than, processing_older_than),
                       interval=interval, at_start=False)
