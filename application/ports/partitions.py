"""Month partitions of the questions-and-answers and analytics events tables (PostgreSQL only:
migrations/versions/0012): the upkeep that creates the coming months' partitions, and a listing
(adapters/persistence/partitions.py). On SQLite nothing is partitioned and both say so."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import attrs


@attrs.frozen(kw_only=True)
class Partition:
    table: str  # the partitioned table: conversations or analytics_events
    name: str
    start: datetime | None  # the month's first instant (UTC); None for the DEFAULT partition
    end: datetime | None  # the next month's first instant; None for the DEFAULT partition
    rows: int | None  # the planner's estimate (pg_class.reltuples); None before the partition was analysed


class PartitionMaintenance(Protocol):
    def supported(self) -> bool:
        """Whether the database partitions these tables (PostgreSQL at revision 0012 or later)."""
        ...

    def ensure(self, now: datetime, ahead: int) -> list[str]:
        """Create the missing partitions of ``now``'s month, of the ``ahead`` months after it and of
        every month that has rows in a DEFAULT partition (those rows move into it); return the names
        created. Nothing (an empty list) where partitions are not supported."""
        ...

    def partitions(self) -> list[Partition]:
        """Every partition of both tables, by table then month (DEFAULT last)."""
        ...
