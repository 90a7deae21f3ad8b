"""Run a worker: sweep once, start the periodic sweeper, then work the queues in priority order."""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from config.container import warm_embedder
from config.errors import ConfigError
from domain.tiers import QueuePriority
from entrypoints.worker import jobs
from entrypoints.worker.sweeper import Sweeper, sweep_once

log = structlog.get_logger(__name__)


def run(queues: Sequence[str] | None = None, *, burst: bool = False) -> None:
    """Blocks until the worker is stopped (SIGTERM/SIGINT) or, with ``burst``, the queues are empty."""
    container = jobs.container()  # the one container of this process, shared with the jobs
    warm_embedder(container)
    settings = container.settings()
    if settings.queue_backend != "rq":
        raise ConfigError("the worker needs ASSISTANT_QUEUE_BACKEND=rq (and ASSISTANT_REDIS_URL)")
    chosen = list(queues or [p.value for p in QueuePriority])  # most urgent first
    log.info("worker_starting", queues=chosen, burst=burst)
    processing_after = min(settings.recover_processing_after_seconds, settings.recover_after_seconds)
    sweep_once(container, settings.recover_after_seconds, processing_after)
    sweeper = Sweeper(container, interval=settings.sweep_interval_seconds, older_than=settings.recover_after_seconds,
                      processing_older_than=processing_after)
    if not burst:
        sweeper.start()
    try:
        container.worker_runner().run(chosen, burst=burst)
    finally:
        sweeper.stop()
