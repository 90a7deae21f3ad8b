"""Answer a question about one of the user's documents, several of them, or their whole library,
with citations.

Order of checks: active user -> rate limit for the tier -> owned, completed document(s) ->
answer cache -> sources within a token budget (application.use_cases.answer_sources: the whole
document when it fits; else the search index's best passages; else, for a summary/overview
question, a map-reduce pass over every chunk) -> language model -> markers renumbered and
citations checked and pinpointed (application.citing) -> conversation (tokens, cost, model that
answered), analytics event and cache entry stored -> the user's windows after the question
published (``quota.changed``, domain.events) for their open sockets; the steps from the model on
are application.use_cases.answer_stream's. Documents found without their search index are
answered from their chunks ranked in memory and queued to be indexed.

A question over several documents is stored with ``document_id=None``; its citations carry each
document's id.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import attrs
import structlog

from application.answer_cache import answer_key, rebound
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.events import EventPublisher
from application.ports.language_model import Completion, CompletionDelta, LanguageModel
from application.ports.job_queue import JobQueue
from application.ports.question_store import QuestionStore
from application.ports.rate_limiter import RateDecision, RateLimiter
from application.ports.unit_of_work import UnitOfWork
from application.publishing import publish, quota_changed
from application.retrieval.finder import PassageFinder
from application.use_cases.answer_record import (  # noqa: F401 - MAX_QUESTION_CHARS: part of this use case's contract
    MAX_QUESTION_CHARS,
    answered,
    checked_question,
    read_cached,
)
from application.use_cases.answer_sources import Prepared, RetrievalSettings, prepare
from application.use_cases.answer_stream import Answering, PendingAnswer
from application.use_cases.access import active_user, checked_active, checked_owned, owned_document
from application.use_cases.get_usage import question_key
from domain.analytics import AnalyticsEvent, EventType
from domain.conversations import Conversation
from domain.documents import Document, DocumentStatus
from domain.events import QuotaChanged
from domain.followups import ThreadContext
from domain.errors import NoActiveDocument, RateLimited
from domain.pricing import PriceTable
from domain.tiers import QueuePriority, TierPolicy
from domain.users import User

log = structlog.get_logger(__name__)

REINDEX_MARK_SECONDS = 600
MAX_LIBRARY_DOCUMENTS = 200
RateObserver = Callable[[RateDecision], None]
Offload = Callable[..., Awaitable[Any]]  # offload(func, *args, **kwargs): the call, run off the event loop


@attrs.frozen(kw_only=True)
class QueryDocumentCommand:
    """``document_id`` None: the user's active document. ``document_ids``: several of the user's
    documents. ``whole_library``: every completed document of the user."""

    user_id: uuid.UUID
    question: str
    document_id: uuid.UUID | None = None
    document_ids: tuple[uuid.UUID, ...] = ()
    whole_library: bool = False
    thread: ThreadContext | None = None  # asked in a thread (application.use_cases.thread_questions)


@attrs.define
class QueryDocument:
    uow: UnitOfWork
    llm: LanguageModel
    finder: PassageFinder
    cache: Cache
    limiter: RateLimiter
    tiers: TierPolicy
    clock: Clock
    settings: RetrievalSettings = RetrievalSettings()
    prices: PriceTable = attrs.Factory(PriceTable)
    queue: JobQueue | None = None  # indexes documents found without their search index
    events: EventPublisher | None = None  # quota.changed, once the answer is recorded

    def __call__(self, command: QueryDocumentCommand, *, on_rate: RateObserver | None = None) -> Conversation:
        final = None
        for item in self.stream(command, on_rate=on_rate):
            if isinstance(item, Conversation):
                final = item
        assert final is not None
        return final

    def stream(self, command: QueryDocumentCommand, *, on_rate: RateObserver | None = None,
               ) -> Iterator[CompletionDelta | Conversation]:
        """Partial text as CompletionDelta items, then the stored Conversation.

        ``on_rate`` receives the rate-limit decision that admitted the question (with the windows'
        usage after it), before the first item; it is not called for an unlimited tier. Shells show
        it (RateLimit headers) without asking the limiter again.

        A model that cannot answer (every model of the chain, after its retries) is reported as
        ServiceUnavailable, which every shell shows as "try again later"; nothing is stored."""
        opened = self.open(command, on_rate=on_rate)
        if isinstance(opened, Conversation):  # a cache hit, already recorded: the whole answer at once
            yield CompletionDelta(text=opened.answer)
            yield opened
            return
        yield from opened.stream()

    @property
    def _answering(self) -> Answering:
        """The slow half (application.use_cases.answer_stream), over this use case's current parts."""
        return Answering(uow=self.uow, llm=self.llm, cache=self.cache, clock=self.clock, settings=self.settings,
                         prices=self.prices, events=self.events)

    def open(self, command: QueryDocumentCommand, *, on_rate: RateObserver | None = None,
             ) -> Conversation | PendingAnswer:
        """The quick first part of a question, in one unit of work: the checks, the rate limit and
        the answer cache. A cached answer comes back recorded; otherwise a PendingAnswer whose
        ``stream()`` asks the model (slow: shells may run the two parts on different threads)."""
        started = time.perf_counter()
        answered = self._answer_from_cache(command, on_rate, started)
        if isinstance(answered, Conversation):
            return answered
        prepared, cached, quota = answered
        return PendingAnswer(self._answering, prepared, cached, started, quota)

    async def open_async(self, command: QueryDocumentCommand, *, store: QuestionStore, offload: Offload,
                         on_rate: RateObserver | None = None) -> Conversation | PendingAnswer:
        """``open`` for a shell on an event loop, the same checks in the same order: the user and the
        documents read in one round trip and a cached answer recorded through ``store`` (awaited,
        no thread); only the rate limiter, a cache read that needs I/O and, on a miss, loading the
        chunks go through ``offload``. A question about the active document or the whole library
        takes ``open`` itself, offloaded."""
        ids = tuple(dict.fromkeys(command.document_ids)) or ((command.document_id,) if command.document_id else ())
        if command.whole_library or not ids or command.thread is not None:
            return await offload(self.open, command, on_rate=on_rate)
        started = time.perf_counter()
        question = checked_question(command.question)
        user, found = await store.asker_and_documents(command.user_id, ids)
        user = checked_active(user)
        by_id = {d.id: d for d in found}
        documents = [checked_owned(user, document_id, by_id.get(document_id)) for document_id in ids]
        for document in documents:
            document.ensure_answerable()
        limits = self.tiers.for_tier(user.tier).request_limits()
        quota = None
        if limits:
            decision = await offload(self.limiter.hit, question_key(user.id), limits)
            refusal = self._refusal(user, decision)
            if refusal is not None:
                await store.record(None, refusal[0])
                raise refusal[1]
            if on_rate is not None:
                on_rate(decision)
            quota = self._quota(user, decision)
        cache_key = answer_key(self.llm.name, [d.sha256 for d in documents], question)
        hit = self._cache_get_local(cache_key)
        if hit is None:
            hit = await offload(self._cache_get, cache_key)
        citations = rebound(hit[1], documents) if hit is not None and hit[1] is not None else None
        if hit is not None and citations is not None:
            prepared = Prepared(user, tuple(documents), question, cache_key, (), {})
            conversation, event = answered(prepared, hit[0], started, cached=True, citations=citations,
                                           now=self.clock.now(), prices=self.prices)
            await store.record(conversation, event)
            if quota is not None:
                publish(self.events, quota)
            return conversation
        return await offload(self._pending, user, tuple(documents), question, cache_key,
                             hit[0] if hit is not None else None, started, quota)

    def _pending(self, user: User, documents: tuple[Document, ...], question: str, cache_key: str,
                 cached: Completion | None, started: float, quota: QuotaChanged | None) -> PendingAnswer:
        with self.uow as uow:
            uow.act_for(user.id)  # checked on the async path already; row-level security reads as them
            prepared = prepare(uow, self.finder, self.settings, user, documents, question, cache_key)
        self._index_later(prepared)
        return PendingAnswer(self._answering, prepared, cached, started, quota)

    def _quota(self, user: User, decision: RateDecision | None) -> QuotaChanged | None:
        """The quota event to publish once the answer is recorded (None: unlimited, or no events)."""
        return quota_changed(user, decision) if decision is not None and self.events is not None else None

    # --- preparation ---------------------------------------------------------------------------

    def _answer_from_cache(self, command: QueryDocumentCommand, on_rate: RateObserver | None, started: float,
                           ) -> Conversation | tuple[Prepared, Completion | None, QuotaChanged | None]:
        """One unit of work: user, documents, rate limit, the answer cache. On a hit (whose entry
        keeps the answer's citations) the conversation is recorded in the same unit of work: no
        chunk is loaded, no source selected, no second transaction. Otherwise what the answer needs."""
        question = checked_question(command.question)
        with self.uow as uow:
            user = active_user(uow, command.user_id)
            documents = self._documents(uow, user, command)
            decision = self._check_rate(uow, user)
            if decision is not None and on_rate is not None:
                on_rate(decision)
            thread = command.thread  # a follow-up is cached under its standalone form, never its own words
            cache_key = answer_key(self.llm.name, [d.sha256 for d in documents],
                                   thread.standalone if thread is not None else question)
            hit = self._cache_get(cache_key)
            citations = rebound(hit[1], documents) if hit is not None and hit[1] is not None else None
            quota = self._quota(user, decision)
            if hit is not None and citations is not None:
                prepared = Prepared(user, tuple(documents), question, cache_key, (), {}, thread=thread)
                return self._answering.record(prepared, hit[0], started, cached=True, uow=uow,
                                              citations=citations, quota=quota)
            prepared = prepare(uow, self.finder, self.settings, user, tuple(documents), question, cache_key, thread)
        self._index_later(prepared)
        return prepared, (hit[0] if hit is not None else None), quota

    def _index_later(self, prepared: Prepared) -> None:
        """Queue the documents answered without their search index (their job indexes them);
        once per document and ``REINDEX_MARK_SECONDS``, however many questions ask meanwhile."""
        if self.queue is None:
            return
        for document_id in prepared.unindexed:
            try:
                if self.cache.add(f"reindex:{document_id}", b"1", ttl_seconds=REINDEX_MARK_SECONDS):
                    self.queue.enqueue_processing(document_id, priority=QueuePriority.LOW)
            except Exception:  # the answer does not wait for it; the next question tries again
                log.warning("reindex_enqueue_failed", document_id=str(document_id), exc_info=True)

    def _cache_get(self, cache_key: str) -> tuple[Completion, list[dict[str, Any]] | None] | None:
        return read_cached(self.cache.get, cache_key)

    def _cache_get_local(self, cache_key: str) -> tuple[Completion, list[dict[str, Any]] | None] | None:
        return read_cached(self.cache.get_local, cache_key)

    def _documents(self, uow: UnitOfWork, user: User, command: QueryDocumentCommand) -> list[Document]:
        if command.whole_library:
            documents = uow.documents.list_for_owner(user.id, status=DocumentStatus.COMPLETED,
                                                     limit=MAX_LIBRARY_DOCUMENTS)
            if not documents:
                # a state, not a malformed question: 409 like an unselected document (issue 13: the 422
                # it was contradicted the schema, which accepts the request)
                raise NoActiveDocument("You have no processed documents to ask about yet.")
            return list(reversed(documents))  # oldest first: stable source numbering
        ids = list(dict.fromkeys(command.document_ids)) or [command.document_id]
        documents = [owned_document(uow, user, document_id) for document_id in ids]  # type: ignore[arg-type]
        for document in documents:
            document.ensure_answerable()
        return documents

    def _check_rate(self, uow: UnitOfWork, user: User) -> RateDecision | None:
        limits = self.tiers.for_tier(user.tier).request_limits()
        if not limits:
            return None
        decision = self.limiter.hit(question_key(user.id), limits)
        refusal = self._refusal(user, decision)
        if refusal is not None:
            uow.events.add(refusal[0])
            uow.commit()
            raise refusal[1]
        return decision

    def _refusal(self, user: User, decision: RateDecision) -> tuple[AnalyticsEvent, RateLimited] | None:
        """The event to record and the error to raise when the decision refuses the question."""
        window = decision.exhausted
        if window is None:
            return None
        event = AnalyticsEvent(user_id=user.id, type=EventType.RATE_LIMITED, data={"window": window.window.value},
                               created_at=self.clock.now())
        return event, RateLimited(
            f"You have used all {window.limit} questions of this {window.window.value}; "
            f"more at {window.reset_at:%H:%M} UTC.",
            window=window.window.value, limit=window.limit, reset_at=window.reset_at,
        )
