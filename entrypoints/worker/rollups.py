"""The analytics rollup job, in a daemon thread of each worker process: at start, then every
``interval`` seconds, RollUpAnalytics sums the closed UTC days not rolled up yet and folds the
document count changes. Several workers may each run it: a day is rolled up once (the others find
it done), and reports are right whether or not it has run (they read unrolled days from the rows)."""

from __future__ import annotations

from config.container import Container
from entrypoints.worker.periodic import PeriodicJob, guarded


def roll_up_once(container: Container) -> bool:
    """One run; True when it finished. Never raises (the worker keeps going)."""
    def run() -> bool:
        container.roll_up_analytics()()
        return True
    return guarded("rollup_failed", run)


def rollup_job(container: Container, *, interval: float) -> PeriodicJob:
    return PeriodicJob("analytics-rollup", lambda: roll_up_once(container), interval=interval, at_start=True)
