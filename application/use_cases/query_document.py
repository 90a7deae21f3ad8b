"""Answer a question about one of the user's documents, with citations.

Order of checks: active user -> rate limit for the tier -> owned, completed document ->
answer cache -> retrieval within a token budget -> language model -> citations mapped back to
locators -> conversation, analytics event and cache entry stored."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator, Sequence

import attrs
import structlog

from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.language_model import AnswerRequest, Completion, CompletionDelta, LanguageModel, Source
from application.ports.rate_limiter import RateLimiter
from application.ports.retriever import Retriever
from application.ports.unit_of_work import UnitOfWork
from application.prompts import PROMPT_VERSION, SYSTEM_PROMPT
from application.use_cases.access import active_user, owned_document
from application.use_cases.get_usage import question_key
from domain.analytics import AnalyticsEvent, EventType
from domain.chunks import Chunk
from domain.citations import evidence_by_number, pinpoint
from domain.conversations import Citation, Conversation, cited_numbers
from domain.documents import Document
from domain.errors import InvalidInput, RateLimited
from domain.text import normalise, normalise_question
from domain.tiers import TierPolicy
from domain.users import User

log = structlog.get_logger(__name__)

MAX_QUESTION_CHARS = 4000


@attrs.frozen(kw_only=True)
class QueryDocumentCommand:
    user_id: uuid.UUID
    question: str
    document_id: uuid.UUID | None = None  # None: the user's active document


@attrs.frozen(kw_only=True)
class RetrievalSettings:
    context_tokens: int = 3000
    top_k: int = 8
    cache_ttl_seconds: int = 7 * 86400


@attrs.frozen
class _Prepared:
    user: User
    document: Document
    question: str
    cache_key: str
    sources: tuple[Source, ...]
    chunks_by_number: dict[int, Chunk]


@attrs.define
class QueryDocument:
    uow: UnitOfWork
    llm: LanguageModel
    retriever: Retriever
    cache: Cache
    limiter: RateLimiter
    tiers: TierPolicy
    clock: Clock
    settings: RetrievalSettings = RetrievalSettings()

    def __call__(self, command: QueryDocumentCommand) -> Conversation:
        final = None
        for item in self.stream(command):
            if isinstance(item, Conversation):
                final = item
        assert final is not None
        return final

    def stream(self, command: QueryDocumentCommand) -> Iterator[CompletionDelta | Conversation]:
        """Partial text as CompletionDelta items, then the stored Conversation."""
        started = time.perf_counter()
        prepared, cached = self._prepare(command)
        if cached is not None:
            yield CompletionDelta(text=cached.text)
            yield self._record(prepared, cached, started, cached=True)
            return
        request = AnswerRequest(system=SYSTEM_PROMPT, question=prepared.question, sources=prepared.sources)
        completion: Completion | None = None
        for item in self.llm.stream(request):
            if isinstance(item, Completion):
                completion = item
            else:
                yield item
        assert completion is not None, "a language model stream ends with a Completion"
        yield self._record(prepared, completion, started, cached=False)

    def _prepare(self, command: QueryDocumentCommand) -> tuple[_Prepared, Completion | None]:
        question = normalise(command.question)
        if not question:
            raise InvalidInput("The question is empty.", field="question")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidInput(f"The question is longer than {MAX_QUESTION_CHARS} characters.", field="question")
        with self.uow as uow:
            user = active_user(uow, command.user_id)
            document = owned_document(uow, user, command.document_id)
            document.ensure_answerable()
            self._check_rate(uow, user)
            chunks = uow.chunks.list_for_document(document.id)
        cache_key = self._cache_key(document, question)
        sources, by_number = self._select_sources(question, chunks)
        prepared = _Prepared(user, document, question, cache_key, sources, by_number)
        hit = self.cache.get(cache_key)
        return prepared, (_decode(hit) if hit else None)

    def _check_rate(self, uow: UnitOfWork, user: User) -> None:
        limits = self.tiers.for_tier(user.tier).request_limits()
        if not limits:
            return
        decision = self.limiter.hit(question_key(user.id), limits)
        window = decision.exhausted
        if window is not None:
            uow.events.add(AnalyticsEvent(user_id=user.id, type=EventType.RATE_LIMITED,
                                          data={"window": window.window.value}, created_at=self.clock.now()))
            uow.commit()
            raise RateLimited(
                f"You have used all {window.limit} questions of this {window.window.value}; "
                f"more at {window.reset_at:%H:%M} UTC.",
                window=window.window.value, limit=window.limit, reset_at=window.reset_at,
            )

    def _cache_key(self, document: Document, question: str) -> str:
        digest = hashlib.sha256(normalise_question(question).encode()).hexdigest()[:32]
        return f"answer:v{PROMPT_VERSION}:{self.llm.name}:{document.sha256}:{digest}"

    def _select_sources(self, question: str, chunks: Sequence[Chunk]) -> tuple[tuple[Source, ...], dict[int, Chunk]]:
        budget = self.settings.context_tokens
        if sum(c.token_count for c in chunks) <= budget:
            chosen = list(chunks)  # the whole document fits
        else:
            ranked = [s.chunk for s in self.retriever.rank(question, chunks, limit=self.settings.top_k)]
            chosen, used = [], 0
            for chunk in ranked or list(chunks):
                if used + chunk.token_count > budget and chosen:
                    break
                chosen.append(chunk)
                used += chunk.token_count
        by_number = {i + 1: c for i, c in enumerate(chosen)}
        return tuple(Source(number=n, label=c.label, text=c.text) for n, c in by_number.items()), by_number

    def _citations(self, prepared: _Prepared, answer: str) -> list[Citation]:
        citations = []
        evidence = evidence_by_number(answer)
        for number in cited_numbers(answer):
            chunk = prepared.chunks_by_number.get(number)
            if chunk is None:
                log.warning("citation_dropped_unknown_source", number=number, document_id=str(prepared.document.id))
                continue
            locators, quote = pinpoint(chunk, evidence.get(number, ""))
            citations.append(Citation(number=number, document_id=chunk.document_id, chunk_ordinal=chunk.ordinal,
                                      locators=locators, quote=quote))
        return citations

    def _record(self, prepared: _Prepared, completion: Completion, started: float, *, cached: bool) -> Conversation:
        now = self.clock.now()
        conversation = Conversation(
            user_id=prepared.user.id, document_id=prepared.document.id, question=prepared.question,
            answer=completion.text, citations=self._citations(prepared, completion.text),
            tokens_in=0 if cached else completion.tokens_in, tokens_out=0 if cached else completion.tokens_out,
            model=completion.model, latency_ms=int((time.perf_counter() - started) * 1000), cached=cached,
            created_at=now,
        )
        with self.uow as uow:
            uow.conversations.add(conversation)
            uow.events.add(AnalyticsEvent(user_id=prepared.user.id, type=EventType.QUESTION_ANSWERED, data={
                "document_id": str(prepared.document.id), "model": conversation.model, "cached": cached,
                "tokens_in": conversation.tokens_in, "tokens_out": conversation.tokens_out,
                "latency_ms": conversation.latency_ms}, created_at=now))
            uow.commit()
        if not cached:
            self.cache.set(prepared.cache_key, _encode(completion), ttl_seconds=self.settings.cache_ttl_seconds)
        return conversation


def _encode(completion: Completion) -> bytes:
    return json.dumps(attrs.asdict(completion)).encode()


def _decode(raw: bytes) -> Completion | None:
    try:
        return Completion(**json.loads(raw))
    except (ValueError, TypeError):
        return None
