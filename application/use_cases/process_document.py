"""Turn a stored file into located chunks: extract, normalise, chunk, then notify the owner."""

from __future__ import annotations

import time
import uuid

import attrs
import structlog

from application.errors import TransientError
from application.ports.clock import Clock
from application.ports.events import EventPublisher
from application.ports.extractor import Budget, Extraction, ExtractionLimits, Extractor, ExtractorRegistry
from application.ports.search_index import DocumentIndex
from application.ports.notifier import Notifier
from application.ports.storage import FileStorage
from application.ports.unit_of_work import UnitOfWork
from application.publishing import publish
from application.use_cases.delete_document import discard_blobs
from application.use_cases.fail_document import mark_failed, owner_and_active_document
from application.use_cases.index_document import DocumentIndexer, IndexDocument
from domain.analytics import AnalyticsEvent, EventType
from domain.chunking import ChunkedText, ChunkingPolicy, chunk_segments
from domain.documents import Document, DocumentStatus
from domain.errors import DomainError, NoTextFound
from domain.events import DocumentCompleted, DocumentFailed, DocumentProgress
from domain.tiers import TierLimits, TierPolicy
from domain.users import User

log = structlog.get_logger(__name__)

INTERNAL_ERROR_CODE = "processing_error"
INTERNAL_ERROR_MESSAGE = "An unexpected error stopped processing this document; it has been logged."


@attrs.define
class ProcessDocument:
    """Idempotent: processing a document again replaces its chunks. Completed exactly once: the
    completion is stored only while the document is still ``processing`` (checked and written in
    one statement), so of two workers processing the same document (a worker presumed dead that
    was not) one completes it and the other leaves it alone, without a second event or notification.

    A small document costs two transactions: processing (read the document and its owner, mark it)
    and completion (the conditional update, the chunks replaced, the analytics event)."""

    uow: UnitOfWork
    storage: FileStorage
    extractors: ExtractorRegistry
    notifier: Notifier
    clock: Clock
    chunking: ChunkingPolicy = ChunkingPolicy()
    tiers: TierPolicy = TierPolicy()
    progress_interval: float = 0.0  # seconds between stored progress reports (the container sets it)
    indexer: DocumentIndexer | None = None  # None: chunks only, no search index (some unit tests)
    events: EventPublisher | None = None  # progress, completed, failed: published after each commit

    def __call__(self, document_id: uuid.UUID) -> DocumentStatus | None:
        """Process the document; return its final status (None when it no longer exists)."""
        with self.uow as uow:
            document = uow.documents.get(document_id)
            if document is None:
                log.info("process_skipped_document_gone", document_id=str(document_id))
                return None
            owner = limits = None
            if document.status is not DocumentStatus.COMPLETED:
                owner = uow.users.get(document.owner_id)
                limits = self.tiers.for_tier(owner.tier) if owner is not None else None
                document.start_processing(self.clock.now())
                uow.documents.update(document)
                uow.commit()
        if document.status is DocumentStatus.PROCESSING:
            publish(self.events, DocumentProgress.of(document))
        if document.status is DocumentStatus.COMPLETED:  # queued again for its search index
            if self.indexer is not None:
                IndexDocument(self.uow, self.indexer)(document_id)
            return document.status
        log.info("process_started", document_id=str(document_id), kind=document.kind.value)
        progress = _ProgressWriter(self, document_id)
        try:
            finished = self._extract_and_store(document, limits, progress)
        except TransientError:
            raise
        except DomainError as error:
            finished = self._finish_failed(document_id, error.code, error.message)
        except Exception:
            log.exception("process_crashed", document_id=str(document_id))
            finished = self._finish_failed(document_id, INTERNAL_ERROR_CODE, INTERNAL_ERROR_MESSAGE)
        if finished is None:
            return None
        if isinstance(finished, _Superseded):  # another worker finished it: nothing to tell
            return finished.status
        self._notify(finished, owner)
        return finished.status

    def _extract_and_store(self, document: Document, limits: TierLimits | None,
                           progress: _ProgressWriter) -> Document | _Superseded | None:
        """The completed document (None when it was deleted meanwhile, _Superseded when another
        worker completed or failed it meanwhile)."""
        data = self.storage.get(document.storage_key)
        extractor = self.extractors.for_kind(document.kind)
        budget = Budget(_extraction_limits(limits))
        extraction = extractor.extract(data, kind=document.kind, progress=progress, budget=budget)
        chunked = chunk_segments(document.id, extraction.segments, self.chunking)
        if not chunked.chunks:
            raise NoTextFound("No readable text was found in this document.")
        index = self.indexer.build(document.id, chunked.chunks) if self.indexer is not None else None
        current = document  # as marked processing by this call (only progress was written since)
        previous_thumbnail = current.thumbnail_key
        thumbnail_key = self.storage.put(extraction.thumbnail) if extraction.thumbnail else None
        try:
            stored = self._store(current, extraction, extractor, chunked, index, progress, thumbnail_key)
        except BaseException:
            discard_blobs(self.storage, [thumbnail_key] if thumbnail_key else [])
            raise
        if not isinstance(stored, Document):  # deleted or superseded meanwhile: this thumbnail is nobody's
            discard_blobs(self.storage, [thumbnail_key] if thumbnail_key else [])
        elif previous_thumbnail and previous_thumbnail != thumbnail_key:  # reprocessed: the old one goes
            discard_blobs(self.storage, [previous_thumbnail])
        return stored

    def _store(self, current: Document, extraction: Extraction, extractor: Extractor, chunked: ChunkedText,
               index: DocumentIndex | None, progress: _ProgressWriter,
               thumbnail_key: str | None) -> Document | _Superseded | None:
        """Complete ``current`` with its chunks, index and thumbnail in one transaction (the same
        answers as ``_extract_and_store``)."""
        now = self.clock.now()
        if progress.last is not None:  # the last report rides on this write instead of its own commit
            current.report_progress(*progress.last, now)
        current.complete(text=chunked.text, page_count=extraction.page_count, now=now,
                         extractor=getattr(extractor, "name", type(extractor).__name__),
                         extractor_version=getattr(extractor, "version", None),
                         notes=" ".join(extraction.notes) or None, thumbnail_key=thumbnail_key)
        with self.uow as uow:
            # first: the row lock makes a concurrent completion wait, then find it completed
            if not uow.documents.update_if_status(current, DocumentStatus.PROCESSING):
                stored = uow.documents.get(current.id)
                if stored is None:
                    return None
                log.info("process_superseded", document_id=str(current.id), status=stored.status.value)
                return _Superseded(stored.status)
            uow.chunks.replace(current.id, chunked.chunks)
            if index is not None:
                uow.search.replace(index)
            uow.events.add(AnalyticsEvent(user_id=current.owner_id, type=EventType.DOCUMENT_PROCESSED,
                                          data={"kind": current.kind.value, "chunks": len(chunked.chunks),
                                                "pages": extraction.page_count}, created_at=now))
            uow.commit()
        log.info("process_completed", document_id=str(current.id), chunks=len(chunked.chunks))
        publish(self.events, DocumentCompleted.of(current, chunks=len(chunked.chunks)))
        return current

    def _finish_failed(self, document_id: uuid.UUID, code: str, message: str) -> Document | _Superseded | None:
        with self.uow as uow:
            current = uow.documents.get(document_id)
            if current is None:
                return None
            if current.status is DocumentStatus.COMPLETED:  # by another worker meanwhile: keep it
                return _Superseded(current.status)
            mark_failed(uow, current, code=code, message=message, now=self.clock.now())
            uow.commit()
        log.info("process_failed", document_id=str(document_id), code=code)
        publish(self.events, DocumentFailed.of(current))
        return current

    def _notify(self, document: Document, owner: User | None) -> None:
        if owner is None:
            return
        try:
            if document.status is DocumentStatus.COMPLETED:
                self.notifier.document_completed(owner, document)
            else:  # the owner as stored now: the failure may have given back their previous active document
                with self.uow as uow:
                    owner, active = owner_and_active_document(uow, owner.id)
                if owner is not None:
                    self.notifier.document_failed(owner, document, active=active)
        except Exception:  # a notification never undoes the processing
            log.exception("notify_failed", document_id=str(document.id))


@attrs.frozen
class _Superseded:
    """Another worker completed (or failed) the document while this call was extracting it."""

    status: DocumentStatus


class _ProgressWriter:
    """Stores progress at most once per ``progress_interval`` seconds (a commit per page of a fast
    extractor would cost more than the page), the first time ``progress_interval`` after the start.
    The last report is kept in ``last`` and written with the completion, so a document processed
    within ``progress_interval`` costs no progress commit at all."""

    def __init__(self, process: ProcessDocument, document_id: uuid.UUID) -> None:
        self._process, self._document_id = process, document_id
        self._stored_at = time.monotonic()  # "processing" was just stored
        self.last: tuple[int, int] | None = None

    def __call__(self, done: int, total: int) -> None:
        self.last = (done, total)
        now = time.monotonic()
        if done >= total or now - self._stored_at < self._process.progress_interval:
            return
        self._stored_at = now
        with self._process.uow as uow:
            current = uow.documents.get(self._document_id)
            if current is not None:
                current.report_progress(done, total, self._process.clock.now())
                uow.documents.update(current)
                uow.commit()
        if current is not None:
            publish(self._process.events, DocumentProgress.of(current))


def _extraction_limits(limits: TierLimits | None) -> ExtractionLimits:
    if limits is None:
        return ExtractionLimits()
    return ExtractionLimits(max_pages=limits.max_pages, max_characters=limits.max_characters,
                            max_seconds=limits.max_processing_seconds)
