"""What retention needs from the database beyond the repositories: set-wise reads and deletes over
every user of a tier (adapters/persistence/retention.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

import attrs

from domain.users import Tier


@attrs.frozen(kw_only=True)
class DroppedPartitions:
    """Month partitions retention dropped whole (or, in a dry run, would drop) and their rows per
    tier; ``unowned``: their rows of no user (events of deleted users), which per-row deletes keep."""

    names: tuple[str, ...] = ()
    by_tier: dict[str, int] = attrs.field(factory=dict)
    unowned: int = 0


class RetentionStore(Protocol):
    def old_conversations(self, tier: Tier, before: datetime, *, delete: bool) -> int:
        """How many questions and answers of the tier's users were asked before ``before`` (thread
        turns included) and in days the analytics rollups already hold (when they hold any);
        ``delete``: delete them, with the threads not active since, in one transaction."""
        ...

    def old_analytics_events(self, tier: Tier, before: datetime, *, delete: bool) -> int:
        """How many raw analytics events of the tier's users are older than ``before`` and in days
        already rolled up; ``delete``: delete them."""
        ...

    def drop_old_partitions(self, table: str, before: datetime, *, drop: bool) -> DroppedPartitions:
        """The month partitions of ``table`` (conversations or analytics_events) whose every row is
        older than ``before`` and in days the rollups hold; ``drop``: detach and drop each (one
        transaction each). Nothing where the table is not partitioned (SQLite)."""
        ...

    def untouched_documents(self, tier: Tier, before: datetime) -> list[uuid.UUID]:
        """The tier's users' completed or failed documents not changed since ``before``, with no
        question about them and no thread naming them active since then; oldest first."""
        ...
