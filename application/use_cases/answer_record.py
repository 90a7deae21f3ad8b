"""The parts of answering a question that stand apart from its order of checks
(application.use_cases.query_document): the question's own checks, the map step of a summary,
a cached answer read, and the conversation and analytics event an answer is stored as."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import structlog

from application.answer_cache import decode_entry
from application.citing import cite
from application.ports.language_model import AnswerRequest, Completion, LanguageModel, Source
from application.ports.unit_of_work import UnitOfWork
from application.prompts import MAP_PROMPT
from application.use_cases.answer_sources import Prepared
from domain.analytics import AnalyticsEvent, EventType
from domain.citations import evidence_by_number
from domain.conversations import Citation, Conversation
from domain.errors import InvalidInput
from domain.pricing import PriceTable
from domain.text import normalise

log = structlog.get_logger(__name__)

MAX_QUESTION_CHARS = 4000
_WORD = re.compile(r"[^\W_]")  # a letter or a digit (the API schema's pattern for a question)


def checked_question(text: str) -> str:
    """The question normalised; InvalidInput when it is empty, has no word or is too long."""
    question = normalise(text)
    if not question:
        raise InvalidInput("The question is empty.", field="question")
    if not _WORD.search(question):
        raise InvalidInput("The question has no words in it.", field="question")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(f"The question is longer than {MAX_QUESTION_CHARS} characters.", field="question")
    return question


def map_notes(llm: LanguageModel, prepared: Prepared) -> tuple[tuple[Source, ...], tuple[int, int]]:
    """Key points of each part, each cited; the reduce step sees them as the sources numbered
    like the chunks they cite, so the final answer's [n] still point at chunks."""
    tokens_in = tokens_out = 0
    claims: dict[int, list[str]] = {}
    for part in prepared.map_parts:
        completion = llm.complete(AnswerRequest(system=MAP_PROMPT, question=prepared.question, sources=part,
                                                purpose="notes"))
        tokens_in, tokens_out = tokens_in + completion.tokens_in, tokens_out + completion.tokens_out
        allowed = {s.number for s in part}
        for number, claim in evidence_by_number(completion.text).items():
            if number in allowed and claim:
                claims.setdefault(number, []).append(claim)
    sources = [Source(number=n, label=prepared.chunks_by_number[n].label, text=" ".join(texts))
               for n, texts in sorted(claims.items())]
    log.info("map_reduce", parts=len(prepared.map_parts), points=len(sources))
    return tuple(sources), (tokens_in, tokens_out)


def read_cached(read: Callable[[str], bytes | None], cache_key: str,
                ) -> tuple[Completion, list[dict[str, Any]] | None] | None:
    """A cached answer and its citations; None on a miss or when the cache cannot be read."""
    try:
        raw = read(cache_key)
    except Exception:  # the answer cache is an optimisation: a broken one is a miss
        log.warning("answer_cache_get_failed", exc_info=True)
        return None
    return decode_entry(raw) if raw else None


def answered(prepared: Prepared, completion: Completion, started: float, *, cached: bool,
             citations: list[Citation] | None, now: datetime, prices: PriceTable,
             ) -> tuple[Conversation, AnalyticsEvent]:
    """The conversation to store and its analytics event (a fresh answer's markers renumbered
    and its citations checked: application.citing)."""
    tokens_in, tokens_out = (0, 0) if cached else (completion.tokens_in, completion.tokens_out)
    answer = completion.text
    if citations is None:
        answer, citations = cite(completion.text, prepared.chunks_by_number)
    conversation = Conversation(
        user_id=prepared.user.id, document_id=prepared.document_id, question=prepared.question,
        answer=answer,
        citations=citations,
        tokens_in=tokens_in, tokens_out=tokens_out,
        cost_usd=prices.cost(completion.model, tokens_in, tokens_out),
        model=completion.model, latency_ms=int((time.perf_counter() - started) * 1000), cached=cached,
        created_at=now, thread_id=prepared.thread.thread_id if prepared.thread is not None else None,
    )
    data = {"document_id": str(prepared.document_id) if prepared.document_id else None,
            "model": conversation.model, "cached": cached, "tokens_in": tokens_in, "tokens_out": tokens_out,
            "cost_usd": conversation.cost_usd, "latency_ms": conversation.latency_ms}
    if prepared.document_id is None:
        data["document_ids"] = [str(d.id) for d in prepared.documents]
    event = AnalyticsEvent(user_id=prepared.user.id, type=EventType.QUESTION_ANSWERED, data=data, created_at=now)
    return conversation, event


def store_answer(uow: UnitOfWork, conversation: Conversation, event: AnalyticsEvent) -> None:
    """The answer, its event and, for a turn of a thread, the thread's title and time, in one commit
    (acting for the asker: row-level security checks the rows written)."""
    uow.act_for(conversation.user_id)
    if conversation.thread_id is not None:
        thread = uow.threads.get(conversation.thread_id)
        if thread is None:  # deleted meanwhile: the turn is kept as a plain question
            conversation.thread_id = None
        else:
            thread.turn_added(conversation.question, conversation.created_at)
            uow.threads.update(thread)
    uow.conversations.add(conversation)
    uow.events.add(event)
    uow.commit()
