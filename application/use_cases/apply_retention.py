"""Retention: delete what each tier keeps no longer (``keep_conversations_days``,
``keep_documents_days``, ``keep_analytics_days`` in ASSISTANT_TIERS; unset by default: everything
is kept).

Run by the worker's periodic job and by ``assistant retention run [--dry-run]``. Questions and
answers (thread turns included) older than the tier's days go in one statement per tier. A document
goes when it has been neither changed nor asked about for the tier's days: each through the unit
of work exactly as DeleteDocument does it, so its chunks, search index rows, conversations, stored
files (original and thumbnail) and cached answers go with it; each is checked again inside its
transaction (still there, its owner still in the tier, not changed since the cutoff). Raw
analytics events older than the tier's days go too. A real run first rolls up the closed days
(AnalyticsRollups), and questions and events go only from rolled-up days, so the usage figures
keep counting what retention deleted.

On PostgreSQL both tables are partitioned by month (migrations/versions/0012): when every tier
sets the table's days, a month partition whose rows are all older than the oldest tier's cutoff
(and rolled up) is dropped whole first, its rows counted per tier like deleted ones; the per-row
deletes then take the rest (threads not active since the cutoff included, as above). A dropped
partition also takes its rows of no user (events of deleted accounts), which per-row deletes keep:
they count in the totals, under no tier. A dry run names the partitions a real run would drop.

Every run, dry or not, is appended to the audit log with its counts per tier. A dry run counts
what a real run would delete and deletes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import attrs
import structlog

from application.answer_cache import forget_documents
from application.audit import audit
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.retention import DroppedPartitions, RetentionStore
from application.ports.rollups import AnalyticsRollups
from application.ports.storage import FileStorage
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.delete_document import discard_blobs, remove_document
from domain.analytics import AuditAction
from domain.tiers import TierPolicy
from domain.users import Tier

log = structlog.get_logger(__name__)


@attrs.frozen
class RetentionReport:
    dry_run: bool
    conversations: int
    documents: int
    analytics_events: int
    by_tier: dict[str, dict[str, int]]
    partitions_dropped: tuple[str, ...] = ()  # in a dry run: the partitions a real run would drop


@attrs.define
class ApplyRetention:
    uow: UnitOfWork
    store: RetentionStore
    storage: FileStorage
    tiers: TierPolicy
    clock: Clock
    cache: Cache | None = None
    rollups: AnalyticsRollups | None = None  # run first, so the figures keep what goes

    def configured(self) -> bool:
        """Whether any tier deletes anything (the worker's job does not run, nor audit, otherwise)."""
        return any(days is not None for tier in Tier for days in _days(self.tiers, tier))

    def __call__(self, *, dry_run: bool = False, actor_id: uuid.UUID | None = None) -> RetentionReport:
        now = self.clock.now()
        if self.rollups is not None and not dry_run and self.configured():
            self.rollups.run(now)
        dropped = {table: self._drop_partitions(table, field, now, dry_run) for table, field in _PARTITIONED}
        by_tier: dict[str, dict[str, int]] = {}
        for tier in Tier:
            limits = self.tiers.for_tier(tier)
            counts: dict[str, int] = {}
            if limits.keep_conversations_days is not None:
                cutoff = now - timedelta(days=limits.keep_conversations_days)
                counts["conversations"] = self.store.old_conversations(tier, cutoff, delete=not dry_run)
            if limits.keep_analytics_days is not None:
                cutoff = now - timedelta(days=limits.keep_analytics_days)
                counts["analytics_events"] = self.store.old_analytics_events(tier, cutoff, delete=not dry_run)
            if limits.keep_documents_days is not None:
                cutoff = now - timedelta(days=limits.keep_documents_days)
                candidates = self.store.untouched_documents(tier, cutoff)
                counts["documents"] = len(candidates) if dry_run else sum(
                    self._delete(document_id, tier, cutoff, now) for document_id in candidates)
            if not dry_run:  # a dry run's row counts include the partitions' rows already
                for table, gone in dropped.items():
                    if table in counts:
                        counts[table] += gone.by_tier.get(tier.value, 0)
            if counts:
                by_tier[tier.value] = counts
        unowned = {table: 0 if dry_run else gone.unowned for table, gone in dropped.items()}
        report = RetentionReport(
            dry_run=dry_run, by_tier=by_tier,
            conversations=sum(c.get("conversations", 0) for c in by_tier.values()) + unowned["conversations"],
            documents=sum(c.get("documents", 0) for c in by_tier.values()),
            analytics_events=sum(c.get("analytics_events", 0) for c in by_tier.values()) + unowned["analytics_events"],
            partitions_dropped=tuple(name for gone in dropped.values() for name in gone.names))
        data: dict[str, Any] = {"dry_run": dry_run, "conversations": report.conversations,
                                "documents": report.documents, "analytics_events": report.analytics_events,
                                "by_tier": by_tier, "partitions_dropped": list(report.partitions_dropped)}
        with self.uow as uow:
            audit(uow, AuditAction.RETENTION_RUN, actor_id=actor_id, target="all tiers", at=now, **data)
            uow.commit()
        log.info("retention_run", **data)
        return report

    def _drop_partitions(self, table: str, field: str, now: datetime, dry_run: bool) -> DroppedPartitions:
        """Whole month partitions older than every tier's cutoff; none when a tier keeps the table's
        rows forever (no days set)."""
        days = [getattr(self.tiers.for_tier(tier), field) for tier in Tier]
        if any(d is None for d in days):
            return DroppedPartitions()
        return self.store.drop_old_partitions(table, now - timedelta(days=max(days)), drop=not dry_run)

    def _delete(self, document_id: uuid.UUID, tier: Tier, cutoff: datetime, now: datetime) -> bool:
        with self.uow as uow:  # a worker's unit of work (the container's): it sees every user's rows
            document = uow.documents.get(document_id)
            owner = uow.users.get(document.owner_id) if document is not None else None
            if document is None or owner is None or owner.tier is not tier or document.updated_at >= cutoff:
                return False  # gone, moved to another tier or touched meanwhile
            remove_document(uow, owner, document, now)
            uow.commit()
        discard_blobs(self.storage, document.blob_keys())
        if self.cache is not None:
            forget_documents(self.cache, [document.id], owner_id=owner.id)
        return True


_PARTITIONED = (("conversations", "keep_conversations_days"), ("analytics_events", "keep_analytics_days"))


def _days(tiers: TierPolicy, tier: Tier) -> tuple[int | None, ...]:
    limits = tiers.for_tier(tier)
    return limits.keep_conversations_days, limits.keep_documents_days, limits.keep_analytics_days
