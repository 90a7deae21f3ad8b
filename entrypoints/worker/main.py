"""Run a worker: sweep once, start the periodic sweeper, retention, analytics rollup and partition upkeep jobs, then work
the queues in priority order."""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from config.container import warm_embedder
from config.error_tracking import set_component
from config.errors import ConfigError
from config.metrics import mark_process_dead, serve_process_metrics
from domain.tiers import QueuePriority
from entrypoints.worker import jobs
from entrypoints.worker.metrics import WORKERS
from entrypoints.worker.partitions import partition_job
from entrypoints.worker.retention import retention_job
from entrypoints.worker.rollups import rollup_job
from entrypoints.worker.sweeper import sweep_once, sweeper_job

log = structlog.get_logger(__name__)


def run(queues: Sequence[str] | None = None, *, burst: bool = False) -> None:
    """Blocks until the worker is stopped (SIGTERM/SIGINT) or, with ``burst``, the queues are empty."""
    container = jobs.container()  # the one container of this process, shared with the jobs
    set_component("worker")
    warm_embedder(container)
    settings = container.settings()
    if settings.queue_backend != "rq":
        raise ConfigError("the worker needs ASSISTANT_QUEUE_BACKEND=rq (and ASSISTANT_REDIS_URL)")
    metrics_server = serve_process_metrics(container, settings.worker_metrics_port)  # /metrics, /healthz, /readyz
    chosen = list(queues or [p.value for p in QueuePriority])  # most urgent first
    log.info("worker_starting", queues=chosen, burst=burst)
    processing_after = min(settings.recover_processing_after_seconds, settings.recover_after_seconds)
    sweep_once(container, settings.recover_after_seconds, processing_after)
    sweeper = sweeper_job(container, interval=settings.sweep_interval_seconds, older_than=settings.recover_after_seconds,
                          processing_older_than=processing_after)
    retention = retention_job(container, interval=settings.retention_interval_seconds)
    rollups = rollup_job(container, interval=settings.rollup_interval_seconds)
    partitions = partition_job(container, interval=settings.partition_interval_seconds, ahead=settings.partitions_ahead)
    if not burst:
        sweeper.start()
        retention.start()
        rollups.start()
        partitions.start()
    WORKERS.inc()
    try:
        container.worker_runner().run(chosen, burst=burst)
    finally:
        WORKERS.dec()
        mark_process_dead()
        sweeper.stop()
        retention.stop()
        rollups.stop()
        partitions.stop()
        if metrics_server is not None:
            metrics_server.stop()
