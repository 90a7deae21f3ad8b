"""The slow half of a question (application.use_cases.query_document): the model asked over the
prepared sources, its markers renumbered while it streams, then the conversation and its
analytics event stored, the user's ``quota.changed`` published once that is committed, and a
fresh answer cached with its citations. Apart from the checks so that a shell may run the two
halves on different threads (PendingAnswer)."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import structlog

from application.answer_cache import encode_entry, remember
from application.citing import StreamRenumbering
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.events import EventPublisher
from application.ports.language_model import (
    AnswerRequest,
    Completion,
    CompletionDelta,
    LanguageModel,
    LanguageModelRejected,
    LanguageModelUnavailable,
)
from application.ports.unit_of_work import UnitOfWork
from application.prompts import REDUCE_PROMPT, SYSTEM_PROMPT
from application.publishing import publish
from application.use_cases.answer_record import answered, map_notes, store_answer
from application.use_cases.answer_sources import Prepared, RetrievalSettings
from domain.conversations import Citation, Conversation
from domain.errors import ServiceUnavailable
from domain.events import QuotaChanged
from domain.pricing import PriceTable

log = structlog.get_logger(__name__)


@attrs.frozen(kw_only=True)
class Answering:
    """What a question needs once past its checks: the model, and where its answer is stored,
    announced and cached."""

    uow: UnitOfWork
    llm: LanguageModel
    cache: Cache
    clock: Clock
    settings: RetrievalSettings
    prices: PriceTable
    events: EventPublisher | None

    def stream(self, prepared: Prepared, cached: Completion | None, started: float,
               quota: QuotaChanged | None = None) -> Iterator[CompletionDelta | Conversation]:
        """Partial text, then the stored Conversation. A model that cannot answer (every model of
        the chain, after its retries) is reported as ServiceUnavailable; nothing is stored."""
        try:
            yield from self._answer(prepared, cached, started, quota)
        except LanguageModelUnavailable as error:
            log.warning("llm_unavailable", model=error.model, status=error.status, error=str(error))
            raise ServiceUnavailable("The language model is not answering right now; please try again in a minute.",
                                     service="language_model") from error
        except LanguageModelRejected as error:
            log.error("llm_rejected_request", model=error.model, status=error.status, error=str(error))
            raise ServiceUnavailable("The language model refused the request; the administrator has been told.",
                                     service="language_model") from error

    def _answer(self, prepared: Prepared, cached: Completion | None, started: float,
                quota: QuotaChanged | None) -> Iterator[CompletionDelta | Conversation]:
        if cached is not None:
            yield CompletionDelta(text=cached.text)  # an entry cached without its source map: stored
            yield self.record(prepared, cached, started, cached=True, refresh_cache=True,  # again with it
                              quota=quota)
            return
        system, sources, spent = SYSTEM_PROMPT, prepared.sources, (0, 0)
        if prepared.map_parts:
            system, sources, spent = REDUCE_PROMPT, *map_notes(self.llm, prepared)
        history = prepared.thread.history if prepared.thread is not None else ()
        request = AnswerRequest(system=system, question=prepared.asked, sources=sources, history=history)
        completion: Completion | None = None
        numbering = StreamRenumbering(set(prepared.chunks_by_number))
        for item in self.llm.stream(request):
            if isinstance(item, Completion):
                completion = item
            elif text := numbering.feed(item.text):
                yield CompletionDelta(text=text)
        if tail := numbering.flush():
            yield CompletionDelta(text=tail)
        assert completion is not None, "a language model stream ends with a Completion"
        completion = attrs.evolve(completion, tokens_in=completion.tokens_in + spent[0],
                                  tokens_out=completion.tokens_out + spent[1])
        yield self.record(prepared, completion, started, cached=False, quota=quota)

    def record(self, prepared: Prepared, completion: Completion, started: float, *, cached: bool,
               uow: UnitOfWork | None = None, refresh_cache: bool = False,
               citations: list[Citation] | None = None, quota: QuotaChanged | None = None) -> Conversation:
        """Store the conversation and its analytics event (in ``uow`` when one is open), publish
        ``quota`` once that is committed, and cache a fresh answer with its citations."""
        conversation, event = answered(prepared, completion, started, cached=cached, citations=citations,
                                       now=self.clock.now(), prices=self.prices)
        if uow is not None:
            store_answer(uow, conversation, event)
        else:
            with self.uow as fresh:
                store_answer(fresh, conversation, event)
        if quota is not None:
            publish(self.events, quota)
        # only the configured model's own answers are cached: a fallback's answer is not kept
        # in place of the better model's once that one is back
        if (refresh_cache or not cached) and completion.model == self.llm.name:
            ttl = self.settings.cache_ttl_seconds
            try:
                self.cache.set(prepared.cache_key, encode_entry(attrs.evolve(completion, text=conversation.answer),
                                                                prepared.documents, conversation.citations),
                               ttl_seconds=ttl)
                remember(self.cache, prepared.user.id, [d.id for d in prepared.documents], prepared.cache_key,
                         ttl_seconds=ttl)
            except Exception:  # the answer is stored and given; only its reuse is lost
                log.warning("answer_cache_set_failed", exc_info=True)
        return conversation


@attrs.frozen
class PendingAnswer:
    """A question past its checks, rate limit and cache lookup, waiting for the model."""

    _answering: Answering
    _prepared: Prepared
    _cached: Completion | None
    _started: float
    _quota: QuotaChanged | None = None  # published once the answer is recorded

    def stream(self) -> Iterator[CompletionDelta | Conversation]:
        """Partial text, then the stored Conversation (errors as in Answering.stream)."""
        return self._answering.stream(self._prepared, self._cached, self._started, self._quota)
