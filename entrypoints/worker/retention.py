"""The retention job, every ``interval`` seconds in a daemon thread of each worker process (first
run one interval after start): ApplyRetention when a tier sets keep_conversations_days or
keep_documents_days, nothing (not even an audit entry) otherwise. Several workers may each run it:
a run is idempotent (a second one finds nothing more to delete), and each run is audited."""

from __future__ import annotations

from config.container import Container
from entrypoints.worker.periodic import PeriodicJob, guarded


def retain_once(container: Container) -> bool:
    """One run when retention is configured; True when it ran. Never raises (the worker keeps going)."""
    def run() -> bool:
        use_case = container.apply_retention()
        if not use_case.configured():
            return False
        use_case()
        return True
    return guarded("retention_failed", run)


def retention_job(container: Container, *, interval: float) -> PeriodicJob:
    return PeriodicJob("retention", lambda: retain_once(container), interval=interval, at_start=False)
