"""Re-enqueue documents left pending or processing (a stopped process, a lost job, a queue outage).

Safe to run at any time: processing is idempotent, so a document enqueued twice is processed
into the same chunks. ``older_than_seconds`` keeps it off documents that are being worked on now."""

from __future__ import annotations

from datetime import timedelta

import attrs
import structlog

from application.ports.clock import Clock
from application.ports.job_queue import JobQueue, JobQueueUnavailable
from application.ports.unit_of_work import UnitOfWork
from domain.documents import Document, DocumentStatus
from domain.tiers import TierPolicy
from domain.users import Tier

log = structlog.get_logger(__name__)
STUCK = (DocumentStatus.PENDING, DocumentStatus.PROCESSING)


@attrs.define
class RecoverDocuments:
    uow: UnitOfWork
    queue: JobQueue
    tiers: TierPolicy
    clock: Clock

    def __call__(self, *, older_than_seconds: float = 300) -> list[Document]:
        """Return the documents that were enqueued again."""
        cutoff = self.clock.now() - timedelta(seconds=older_than_seconds)
        with self.uow as uow:
            stuck = uow.documents.list_by_status(STUCK, updated_before=cutoff)
            owners = {d.owner_id: uow.users.get(d.owner_id) for d in stuck}
        recovered = []
        for document in stuck:
            owner = owners.get(document.owner_id)
            priority = self.tiers.for_tier(owner.tier if owner else Tier.FREE).queue_priority
            try:
                self.queue.enqueue_processing(document.id, priority=priority)
            except JobQueueUnavailable:
                log.warning("recover_enqueue_failed", document_id=str(document.id))
                break
            recovered.append(document)
        if recovered:
            log.info("documents_recovered", count=len(recovered))
        return recovered
