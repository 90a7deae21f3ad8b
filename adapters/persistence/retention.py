"""RetentionStore on SQLAlchemy (SQLite and PostgreSQL): set-wise statements over a tier's users.

Questions and answers and raw analytics events go only from days the analytics rollups already
hold (adapters/persistence/usage_rollups.py; the use case runs the rollups first), so usage figures
keep counting them. A thread is touched at each turn (``updated_at``), so a thread not updated
since the cutoff has only turns older than it: it is deleted whole (its turns cascade), then the
remaining old turns and questions go. Documents are only selected here; the use case deletes each through the unit of
work, as DeleteDocument does (so chunks, the search index rows and the FTS triggers, the stored
files and the cached answers go with it). On PostgreSQL every transaction here names itself a
worker's for row-level security (adapters/persistence/row_security.py): it works on every user's
rows, and would see none otherwise.

On PostgreSQL the two tables are partitioned by month (migrations/versions/0012): a month partition
whose rows are all older than every tier's cutoff (the use case passes the oldest) and in rolled-up
days is detached and dropped whole (``drop_old_partitions``, through the migration's SECURITY
DEFINER function), before the per-row deletes take what is left. A drop waits at most
``lock_timeout_ms`` for its lock on the parent (a detach needs it exclusively, and queries queue
behind a waiting one); a partition that could not be dropped (that lock busy, or no EXECUTE on the
function: `assistant db grant` not run since the migration) is left, logged, for the per-row
deletes and the next run."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import structlog
from sqlalchemy import Connection, Engine, Table, exists, func, select, text
from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import DBAPIError

from adapters.persistence.partitions import month_partitions
from adapters.persistence.row_security import act_as_worker
from adapters.persistence.repositories.usage_reads import watermark
from adapters.persistence.tables import analytics_events, conversations, documents, threads, users
from application.ports.partitions import Partition
from application.ports.retention import DroppedPartitions
from domain.users import Tier

_FINISHED = ("completed", "failed")
_SKIPPED = {"55P03": "lock_not_available", "42501": "insufficient_privilege"}  # SQLSTATEs a drop may meet

log = structlog.get_logger(__name__)


class SqlAlchemyRetentionStore:
    def __init__(self, engine: Engine, *, lock_timeout_ms: int = 5000) -> None:
        self.engine = engine
        self.lock_timeout_ms = lock_timeout_ms

    def old_conversations(self, tier: Tier, before: datetime, *, delete: bool) -> int:
        of_tier = select(users.c.id).where(users.c.tier == tier.value)
        with self.engine.begin() as connection:
            act_as_worker(connection)
            before = _rolled_up(connection, before)
            old = (conversations.c.user_id.in_(of_tier), conversations.c.created_at < before)
            count = connection.execute(select(func.count()).select_from(conversations).where(*old)).scalar_one()
            if delete:
                connection.execute(sql_delete(threads).where(threads.c.user_id.in_(of_tier),
                                                          threads.c.updated_at < before))
                connection.execute(sql_delete(conversations).where(*old))
        return int(count)

    def old_analytics_events(self, tier: Tier, before: datetime, *, delete: bool) -> int:
        of_tier = select(users.c.id).where(users.c.tier == tier.value)
        with self.engine.begin() as connection:
            before = _rolled_up(connection, before)
            old = (analytics_events.c.user_id.in_(of_tier), analytics_events.c.created_at < before)
            count = connection.execute(select(func.count()).select_from(analytics_events).where(*old)).scalar_one()
            if delete:
                connection.execute(sql_delete(analytics_events).where(*old))
        return int(count)

    def drop_old_partitions(self, table: str, before: datetime, *, drop: bool) -> DroppedPartitions:
        rows = {"conversations": conversations, "analytics_events": analytics_events}[table]
        with self.engine.connect() as connection:
            before = _rolled_up(connection, before)
            old = [p for p in month_partitions(connection, table) if p.end is not None and p.end <= before]
        names: list[str] = []
        by_tier: dict[str, int] = {}
        unowned = 0
        for partition in old:
            try:
                counts = self._drop(rows, partition, drop=drop)
            except DBAPIError as error:
                reason = _SKIPPED.get(getattr(error.orig, "sqlstate", None) or "")
                if reason is None:
                    raise
                log.warning("retention_partition_kept", partition=partition.name, reason=reason)
                continue
            for tier, count in counts.items():
                if tier is None:
                    unowned += count
                else:
                    by_tier[tier] = by_tier.get(tier, 0) + count
            names.append(partition.name)
        return DroppedPartitions(names=tuple(names), by_tier=by_tier, unowned=unowned)

    def _drop(self, rows: Table, partition: Partition, *, drop: bool) -> dict[str | None, int]:
        """The partition's rows per tier (None: of no user); ``drop``: then detach and drop it, in
        the same transaction."""
        with self.engine.begin() as connection:
            act_as_worker(connection)
            connection.execute(text("SELECT set_config('lock_timeout', :ms, true)"),
                               {"ms": f"{self.lock_timeout_ms}ms"})
            counted = (select(users.c.tier, func.count())
                       .select_from(rows.outerjoin(users, users.c.id == rows.c.user_id))
                       .where(rows.c.created_at >= partition.start, rows.c.created_at < partition.end)
                       .group_by(users.c.tier))
            counts = {tier: int(count) for tier, count in connection.execute(counted)}
            if drop:
                connection.execute(text("SELECT assistant_drop_partition(:parent, :child)"),
                                   {"parent": rows.name, "child": partition.name})
        return counts

    def untouched_documents(self, tier: Tier, before: datetime) -> list[uuid.UUID]:
        asked_since = exists().where(conversations.c.document_id == documents.c.id,
                                     conversations.c.created_at >= before)
        query = (select(documents.c.id, documents.c.owner_id)
                 .join(users, users.c.id == documents.c.owner_id)
                 .where(users.c.tier == tier.value, documents.c.status.in_(_FINISHED),
                        documents.c.updated_at < before, documents.c.created_at < before, ~asked_since)
                 .order_by(documents.c.updated_at, documents.c.id))
        active_threads = (select(threads.c.document_ids).join(users, users.c.id == threads.c.user_id)
                          .where(users.c.tier == tier.value, threads.c.updated_at >= before))
        with self.engine.begin() as connection:
            act_as_worker(connection)
            candidates = [row.id for row in connection.execute(query)]
            in_use = {uuid.UUID(d) for row in connection.execute(active_threads) for d in row.document_ids}
        return [d for d in candidates if d not in in_use]


def _rolled_up(connection: Connection, before: datetime) -> datetime:
    """``before``, or the end of the last day the analytics rollups hold when that is earlier (rows
    of a day not rolled up yet stay, so the figures keep them); unchanged before any rollup."""
    last = watermark(connection)
    if last is None:
        return before
    return min(before, datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC))

