"""What the analytics rollup job needs from the database beyond the repositories: sum the closed
days into rollup rows, fold the pending document count changes (adapters/persistence/usage_rollups.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

import attrs


@attrs.frozen(kw_only=True)
class RollupRun:
    days: tuple[date, ...]  # the UTC days rolled up by this run, oldest first
    document_deltas: int  # document count changes folded into the totals


class AnalyticsRollups(Protocol):
    def run(self, now: datetime) -> RollupRun:
        """Roll up every closed day not rolled up yet, oldest first, and fold the document count
        changes; idempotent (a second run finds nothing more to do)."""
        ...
