"""Re-enqueue documents left pending or processing (a stopped process, a lost job, a queue outage).

Safe to run at any time: processing is idempotent, so a document enqueued twice is processed
into the same chunks (and completed once). ``older_than_seconds`` keeps it off documents that are
being worked on now; ``processing_older_than_seconds`` (default: the same) can be much shorter,
because the queue tells a job of a live worker from one of a dead worker (RqJobQueue) and does
not enqueue a document whose job is still waiting or running: it only saves queue look-ups."""

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

    def __call__(self, *, older_than_seconds: float = 300,
                 processing_older_than_seconds: float | None = None) -> list[Document]:
        """Return the documents that were enqueued again."""
        now = self.clock.now()
        cutoff = now - timedelta(seconds=older_than_seconds)
        with self.uow as uow:
            if processing_older_than_seconds is None or processing_older_than_seconds == older_than_seconds:
                stuck = uow.documents.list_by_status(STUCK, updated_before=cutoff)
            else:
                processing_cutoff = now - timedelta(seconds=processing_older_than_seconds)
                stuck = sorted(
                    uow.documents.list_by_status([DocumentStatus.PENDING], updated_before=cutoff)
                    + uow.documents.list_by_status([DocumentStatus.PROCESSING], updated_before=processing_cutoff),
                    key=lambda d: (d.updated_at, str(d.id)))
            owners = {owner_id: uow.users.get(owner_id) for owner_id in {d.owner_id for d in stuck}}  # one read each
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
