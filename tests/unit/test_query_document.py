"""QueryDocument: checks, rate limits, retrieval, citations, cache and streaming."""

from __future__ import annotations

import json
import uuid

import pytest

from application.ports.language_model import CompletionDelta
from application.ports.rate_limiter import RateDecision
from application.prompts import SYSTEM_PROMPT
from application.use_cases.get_usage import question_key
from application.use_cases.query_document import (
    MAX_QUESTION_CHARS,
    QueryDocumentCommand,
    RetrievalSettings,
)
from domain.analytics import EventType
from domain.chunking import ChunkingPolicy
from domain.conversations import Conversation
from domain.documents import DocumentStatus
from domain.errors import (
    DocumentFailed,
    DocumentNotFound,
    DocumentNotReady,
    FileCorrupt,
    InvalidInput,
    NoActiveDocument,
    RateLimited,
    UserBanned,
)
from domain.locators import Locator
from domain.tiers import TierPolicy, Window, window_reset
from domain.users import Tier, UserStatus
from tests.fakes import FakeExtractor, FakeExtractors, ScriptedLanguageModel
from tests.unit.conftest import World

CONTRACT = (
    "The contract was signed in Berlin on 3 March 2025.\n\n"
    "Payment terms: the invoice total of 42000 EUR is due within 30 days.\n\n"
    "The warranty period is two years from delivery."
)
PARAGRAPHS = CONTRACT.split("\n\n")
ONE_CHUNK_PER_PARAGRAPH = ChunkingPolicy(budget=15, overlap=0)


def contract(world: World, user=None, text: str = CONTRACT):  # noqa: ANN001, ANN201
    user = user or world.add_user()
    return user, world.ready_document(user, text, chunking=ONE_CHUNK_PER_PARAGRAPH)


def test_the_document_is_chunked_one_paragraph_a_chunk(world: World) -> None:
    _, document = contract(world)
    assert [c.text for c in world.store.chunks[document.id]] == PARAGRAPHS


def test_answer_with_citations_mapped_to_locators(world: World) -> None:
    world.llm = ScriptedLanguageModel("The total is 42000 EUR [2]. It was signed in Berlin [1]. See also [9].")
    user, document = contract(world)
    conversation = world.ask(user, "What is the invoice total?")
    # numbered 1..n in the order the answer cites them; [9] is not a source: dropped
    assert conversation.answer == "The total is 42000 EUR [1]. It was signed in Berlin [2]. See also."
    assert [(c.number, c.chunk_ordinal, c.locators) for c in conversation.citations] == [
        (1, 1, (Locator(paragraph=2),)),
        (2, 0, (Locator(paragraph=1),)),
    ]
    assert conversation.citations[0].label == "paragraph 2"
    assert conversation.citations[0].quote == PARAGRAPHS[1]
    assert all(c.document_id == document.id for c in conversation.citations)
    assert (conversation.tokens_in, conversation.tokens_out, conversation.model) == (100, 10, "scripted")
    assert conversation.user_id == user.id and conversation.document_id == document.id
    assert conversation.question == "What is the invoice total?"
    assert not conversation.cached
    assert conversation.created_at == world.clock.now()
    # stored, with an analytics event
    assert [c.id for c in world.store.conversations] == [conversation.id]
    [event] = [e for e in world.store.events if e.type is EventType.QUESTION_ANSWERED]
    assert event.data["document_id"] == str(document.id) and event.data["cached"] is False
    assert (event.data["tokens_in"], event.data["tokens_out"]) == (100, 10)


def test_the_whole_document_is_sent_when_it_fits(world: World) -> None:
    user, _ = contract(world)
    world.ask(user, "When was it signed?")
    [request] = world.llm.requests
    assert request.system == SYSTEM_PROMPT
    assert request.question == "When was it signed?"
    assert [(s.number, s.label, s.text) for s in request.sources] == [
        (1, "paragraph 1", PARAGRAPHS[0]), (2, "paragraph 2", PARAGRAPHS[1]), (3, "paragraph 3", PARAGRAPHS[2])]


def test_the_best_chunks_are_sent_when_the_document_does_not_fit(world: World) -> None:
    world.llm = ScriptedLanguageModel("42000 EUR [1].")
    user, _ = contract(world)
    conversation = world.ask(user, "What is the invoice total?", settings=RetrievalSettings(context_tokens=20))
    [request] = world.llm.requests
    assert [s.text for s in request.sources] == [PARAGRAPHS[1]]  # the 2nd best would overflow 20 tokens
    assert [(c.number, c.locators) for c in conversation.citations] == [(1, (Locator(paragraph=2),))]


def test_the_budget_is_filled_with_the_best_chunks(world: World) -> None:
    user, _ = contract(world)
    world.ask(user, "the invoice warranty contract", settings=RetrievalSettings(context_tokens=34))
    sources = world.llm.requests[0].sources
    assert len(sources) == 2 and sum(len(s.text.split()) for s in sources) <= 34
    assert {s.text for s in sources} <= set(PARAGRAPHS)


def test_with_no_lexical_match_the_first_chunks_are_sent(world: World) -> None:
    user, _ = contract(world)
    world.ask(user, "Qui?", settings=RetrievalSettings(context_tokens=20))
    assert [s.text for s in world.llm.requests[0].sources] == [PARAGRAPHS[0]]


def test_a_repeated_question_is_answered_from_the_cache(world: World) -> None:
    user, document = contract(world)
    first = world.ask(user, "What is the invoice total?")
    second = world.ask(user, "  what is the INVOICE   total ")
    assert len(world.llm.requests) == 1  # the model was not asked again
    assert second.cached and not first.cached
    assert (second.tokens_in, second.tokens_out) == (0, 0)
    assert second.answer == first.answer
    assert [(c.number, c.locators) for c in second.citations] == [(c.number, c.locators) for c in first.citations]
    assert len(world.store.conversations) == 2
    events = [e for e in world.store.events if e.type is EventType.QUESTION_ANSWERED]
    assert [e.data["cached"] for e in events] == [False, True]


def test_a_cache_hit_cites_like_the_first_answer_without_reading_chunks_again(world: World) -> None:
    world.llm = ScriptedLanguageModel("The total is 42000 EUR [1].")
    user, document = contract(world)
    settings = RetrievalSettings(context_tokens=20)  # selection by the search index, not the whole text
    first = world.ask(user, "What is the invoice total?", settings=settings)
    assert [c.chunk_ordinal for c in first.citations] == [1]  # source [1] is the second paragraph

    class NoSearch:
        def find(self, *args: object, **kwargs: object) -> list[object]:
            raise AssertionError("a cache hit must not look the passages up again")

    world.finder_override = NoSearch()
    world.store.chunks[document.id] = []  # not read on a hit: the entry keeps the citations
    second = world.ask(user, "What is the invoice total?", settings=settings)
    assert second.cached and second.answer == first.answer
    assert [(c.number, c.chunk_ordinal, c.locators, c.quote) for c in second.citations] == [
        (c.number, c.chunk_ordinal, c.locators, c.quote) for c in first.citations]
    assert second.citations[0].document_id == document.id
    assert [c.id for c in world.store.conversations] == [first.id, second.id]


def test_a_cache_entry_without_its_citations_is_still_used_and_upgraded(world: World) -> None:
    user, _ = contract(world)
    first = world.ask(user, "What is the invoice total?")
    [key] = [k for k in world.cache.items if k.startswith("answer:")]
    entry = json.loads(world.cache.items[key])
    del entry["citations"]  # as written before entries kept the answer's citations
    world.cache.items[key] = json.dumps(entry).encode()
    second = world.ask(user, "What is the invoice total?")
    assert second.cached and second.answer == first.answer
    assert [c.locators for c in second.citations] == [c.locators for c in first.citations]
    assert json.loads(world.cache.items[key])["citations"]  # stored again with them
    assert world.ask(user, "What is the invoice total?").cached
    assert len(world.llm.requests) == 1


def test_a_cache_hit_on_another_copy_of_the_content_cites_that_copy(world: World) -> None:
    user, original = contract(world)
    world.ask(user, "What is the invoice total?", document_id=original.id)
    copy = world.ready_document(user, CONTRACT, chunking=ONE_CHUNK_PER_PARAGRAPH)
    answer = world.ask(user, "What is the invoice total?", document_id=copy.id)
    assert answer.cached and answer.citations
    assert {c.document_id for c in answer.citations} == {copy.id}


def test_another_question_or_model_misses_the_cache(world: World) -> None:
    user, _ = contract(world)
    world.ask(user, "What is the invoice total?")
    world.ask(user, "When was it signed?")
    assert len(world.llm.requests) == 2
    world.llm = ScriptedLanguageModel(name="other-model")
    assert not world.ask(user, "What is the invoice total?").cached
    assert len(world.llm.requests) == 1


def test_a_damaged_cache_entry_is_ignored(world: World) -> None:
    user, _ = contract(world)
    world.ask(user, "What is the invoice total?")
    for key in world.cache.items:
        world.cache.items[key] = b"not json"
    assert not world.ask(user, "What is the invoice total?").cached
    assert len(world.llm.requests) == 2


def test_the_active_document_is_used_by_default(world: World) -> None:
    user, document = contract(world)
    other = world.ready_document(user, "Another text about bananas.")
    assert world.ask(user, "bananas?").document_id == other.id
    assert world.ask(user, "bananas?", document_id=document.id).document_id == document.id


@pytest.mark.parametrize("status", [DocumentStatus.PENDING, DocumentStatus.PROCESSING])
def test_an_unfinished_document_is_not_ready(world: World, status: DocumentStatus) -> None:
    user = world.add_user()
    document = world.upload(user, "text")
    if status is DocumentStatus.PROCESSING:
        with world.uow as uow:
            stored = uow.documents.get(document.id)
            stored.start_processing(world.clock.now())
            uow.documents.update(stored)
            uow.commit()
    with pytest.raises(DocumentNotReady):
        world.ask(user, "anything?")
    assert world.llm.requests == [] and world.store.conversations == []


def test_a_failed_document_says_why(world: World) -> None:
    world.extractors = FakeExtractors(FakeExtractor(fail_with=FileCorrupt("damaged")))
    user = world.add_user()
    document = world.ready_document(user, "text")
    # a failed upload does not become the active document, so the question names it
    with pytest.raises(DocumentFailed) as caught:
        world.ask(user, "anything?", document_id=document.id)
    assert caught.value.details["reason"] == "file_corrupt"


def test_another_users_document_is_not_found(world: World) -> None:
    _, document = contract(world)
    intruder = world.add_user()
    with pytest.raises(DocumentNotFound):
        world.ask(intruder, "What is the invoice total?", document_id=document.id)
    with pytest.raises(DocumentNotFound):
        world.ask(intruder, "What is the invoice total?", document_id=uuid.uuid4())
    assert world.llm.requests == [] and world.store.conversations == []


def test_no_active_document(world: World) -> None:
    user = world.add_user()
    with pytest.raises(NoActiveDocument):
        world.ask(user, "What is the invoice total?")


@pytest.mark.parametrize("question", ["", "   ", "\n\t\u200b", "x" * (MAX_QUESTION_CHARS + 1)])
def test_empty_or_huge_questions_are_invalid(world: World, question: str) -> None:
    user, _ = contract(world)
    with pytest.raises(InvalidInput) as caught:
        world.ask(user, question)
    assert caught.value.details == {"field": "question"}
    assert world.llm.requests == []


def test_a_banned_user_cannot_ask(world: World) -> None:
    user, _ = contract(world)
    world.set_status(user, UserStatus.BANNED)
    with pytest.raises(UserBanned):
        world.ask(user, "What is the invoice total?")


# --- rate limits ---------------------------------------------------------------------------


def test_the_eleventh_question_in_a_minute_is_rate_limited(world: World) -> None:
    user, _ = contract(world)
    world.clock.advance(5)
    for n in range(10):
        world.ask(user, f"Question number {n}?")
    with pytest.raises(RateLimited) as caught:
        world.ask(user, "One too many?")
    error = caught.value
    assert (error.window, error.limit, error.code) == ("minute", 10, "rate_limited")
    assert error.reset_at == window_reset(world.clock.now(), Window.MINUTE)
    assert error.details["reset_at"] == error.reset_at.isoformat()
    assert len(world.llm.requests) == 10 and len(world.store.conversations) == 10
    limited = [e for e in world.store.events if e.type is EventType.RATE_LIMITED]
    assert [e.data for e in limited] == [{"window": "minute"}]
    # the next minute has room again
    world.clock.current = error.reset_at
    assert world.ask(user, "And now?").answer


def test_cached_answers_count_against_the_limit(world: World) -> None:
    user, _ = contract(world)
    for _ in range(10):
        world.ask(user, "Same question?")
    with pytest.raises(RateLimited):
        world.ask(user, "Same question?")


def test_the_hour_window_is_named_when_it_runs_out(world: World) -> None:
    world.tiers = TierPolicy.with_overrides({"free": {"per_hour": 3}})
    user, _ = contract(world)
    for _ in range(3):
        world.ask(user, "What is the invoice total?")
        world.clock.advance(61)
    with pytest.raises(RateLimited) as caught:
        world.ask(user, "What is the invoice total?")
    assert caught.value.window == "hour" and caught.value.limit == 3
    assert caught.value.reset_at == window_reset(world.clock.now(), Window.HOUR)


def test_each_user_has_their_own_limit(world: World) -> None:
    ann, _ = contract(world)
    bob, _ = contract(world)
    for _ in range(10):
        world.ask(ann, "What is the invoice total?")
    assert world.ask(bob, "What is the invoice total?").answer


def test_the_rate_decision_that_admitted_a_question_is_reported(world: World) -> None:
    user, _ = contract(world)
    decisions: list[RateDecision] = []
    world.query_use_case()(QueryDocumentCommand(user_id=user.id, question="Where?"), on_rate=decisions.append)
    world.query_use_case()(QueryDocumentCommand(user_id=user.id, question="Where?"), on_rate=decisions.append)
    assert [d.allowed for d in decisions] == [True, True]
    assert [{w.window: w.used for w in d.windows} for d in decisions] == [
        {Window.MINUTE: 1, Window.HOUR: 1, Window.DAY: 1}, {Window.MINUTE: 2, Window.HOUR: 2, Window.DAY: 2}]
    # the same figures the limiter reports afterwards
    assert decisions[-1].windows == world.limiter.peek(question_key(user.id), {
        w.window: w.limit for w in decisions[-1].windows}).windows


def test_an_unlimited_tier_reports_no_rate_decision(world: World) -> None:
    user, _ = contract(world, user=world.add_user(tier=Tier.ENTERPRISE))
    decisions: list[RateDecision] = []
    world.query_use_case()(QueryDocumentCommand(user_id=user.id, question="Where?"), on_rate=decisions.append)
    assert decisions == []


def test_enterprise_is_not_rate_limited(world: World) -> None:
    user, _ = contract(world, user=world.add_user(tier=Tier.ENTERPRISE))
    for n in range(40):
        world.ask(user, f"Question {n}?")
    assert len(world.store.conversations) == 40


# --- streaming -----------------------------------------------------------------------------


def test_stream_yields_deltas_then_the_conversation(world: World) -> None:
    world.llm = ScriptedLanguageModel("Signed in Berlin [1].")
    user, _ = contract(world)
    items = list(world.query_use_case().stream(QueryDocumentCommand(user_id=user.id, question="Where?")))
    *deltas, last = items
    assert deltas and all(isinstance(d, CompletionDelta) for d in deltas)
    assert isinstance(last, Conversation)
    assert "".join(d.text for d in deltas).strip() == last.answer == "Signed in Berlin [1]."
    assert [c.locators for c in last.citations] == [(Locator(paragraph=1),)]
    assert len(world.store.conversations) == 1


def test_a_cached_stream_yields_the_whole_answer_at_once(world: World) -> None:
    user, _ = contract(world)
    first = world.ask(user, "Where?")
    items = list(world.query_use_case().stream(QueryDocumentCommand(user_id=user.id, question="where")))
    assert items[0] == CompletionDelta(text=first.answer)
    assert isinstance(items[1], Conversation) and items[1].cached
    assert len(items) == 2


def test_nothing_is_recorded_before_a_stream_finishes(world: World) -> None:
    user, _ = contract(world)
    stream = world.query_use_case().stream(QueryDocumentCommand(user_id=user.id, question="Where?"))
    assert isinstance(next(stream), CompletionDelta)
    assert world.store.conversations == [] and world.cache.items == {}
    stream.close()  # the client went away
    assert world.store.conversations == [] and world.cache.items == {}
