"""The partition upkeep job, in a daemon thread of each worker process: at start, then every
``interval`` seconds, the current month's and the next ``ahead`` months' partitions of
conversations and analytics_events are created where missing, and rows that landed in a DEFAULT
partition move into their month's (PostgreSQL, migration 0012; nothing on SQLite). Several workers
may each run it: the database serialises the upkeep (an advisory lock) and a partition is created
once (the others find it there)."""

from __future__ import annotations

from datetime import UTC, datetime

import structlog

from config.container import Container
from entrypoints.worker.periodic import PeriodicJob, guarded

log = structlog.get_logger(__name__)


def upkeep_once(container: Container, ahead: int) -> list[str]:
    """One run; the partitions created. Never raises (the worker keeps going)."""
    def run() -> list[str]:
        created = container.partitions().ensure(datetime.now(UTC), ahead)
        if created:
            log.info("partitions_created", partitions=created)
        return created
    return guarded("partition_upkeep_failed", run, failed=[])


def partition_job(container: Container, *, interval: float, ahead: int) -> PeriodicJob:
    return PeriodicJob("partition-upkeep", lambda: upkeep_once(container, ahead), interval=interval, at_start=True)
