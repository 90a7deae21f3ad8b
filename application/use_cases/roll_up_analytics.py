"""RollUpAnalytics: the analytics rollup job, run by each worker's periodic job: closed UTC days
are summed once into rollup rows so that reports read a row per day instead of every question
(see GetAnalytics)."""

from __future__ import annotations

import attrs
import structlog

from application.ports.clock import Clock
from application.ports.rollups import AnalyticsRollups, RollupRun

log = structlog.get_logger(__name__)


@attrs.define
class RollUpAnalytics:
    rollups: AnalyticsRollups
    clock: Clock

    def __call__(self) -> RollupRun:
        run = self.rollups.run(self.clock.now())
        if run.days or run.document_deltas:
            log.info("analytics_rolled_up", days=len(run.days),
                     last_day=run.days[-1].isoformat() if run.days else None, document_deltas=run.document_deltas)
        return run
