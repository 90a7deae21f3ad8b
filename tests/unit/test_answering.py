"""QueryDocument beyond one document and one call: cost accounting, the cache's life cycle,
several documents and the whole library, map-reduce for overviews, the offline model end to end,
usage per day and the history of conversations."""

from __future__ import annotations

import uuid

import pytest

from adapters.llm.offline import OfflineLanguageModel
from adapters.text.snowball import SnowballAnalyzer
from application.prompts import MAP_PROMPT, REDUCE_PROMPT, SYSTEM_PROMPT, is_overview_question
from application.use_cases.clear_documents import ClearDocuments
from application.use_cases.delete_document import DeleteDocument
from application.use_cases.get_usage import GetUsage
from application.use_cases.list_conversations import ListConversations
from application.use_cases.query_document import QueryDocumentCommand, RetrievalSettings
from domain.chunking import ChunkingPolicy
from application.ports.language_model import LanguageModelRejected, LanguageModelUnavailable
from domain.errors import DocumentNotFound, DocumentNotReady, InvalidInput, NoActiveDocument, ServiceUnavailable
from domain.locators import Locator
from domain.pricing import Price, PriceTable
from tests.fakes import ScriptedLanguageModel
from tests.unit.conftest import World

CONTRACT = (
    "The contract was signed in Berlin on 3 March 2025.\n\n"
    "Payment terms: the invoice total of 42000 EUR is due within 30 days.\n\n"
    "The warranty period is two years from delivery."
)
ONE_CHUNK_PER_PARAGRAPH = ChunkingPolicy(budget=15, overlap=0)


def ready(world: World, user, text: str = CONTRACT, filename: str = "contract.txt"):  # noqa: ANN001, ANN201
    return world.ready_document(user, text, filename=filename, chunking=ONE_CHUNK_PER_PARAGRAPH)


def ask(world: World, user, question: str, settings: RetrievalSettings = RetrievalSettings(), **command):  # noqa: ANN001, ANN003, ANN201
    return world.query_use_case(settings)(QueryDocumentCommand(user_id=user.id, question=question, **command))


# --- cost -------------------------------------------------------------------------------------


def test_the_cost_is_computed_from_the_price_table_and_stored(world: World) -> None:
    world.llm = ScriptedLanguageModel("42000 EUR [2].", name="gpt-4o-mini")
    user = world.add_user()
    ready(world, user)
    conversation = ask(world, user, "What is the invoice total?")
    assert conversation.cost_usd == pytest.approx((100 * 0.15 + 10 * 0.60) / 1e6)
    assert world.store.conversations[0].cost_usd == conversation.cost_usd
    assert ask(world, user, "what is the invoice total").cost_usd == 0  # a cache hit costs nothing


def test_price_table_prefixes_overrides_and_free_models() -> None:
    table = PriceTable.with_overrides({"my-local-model": {"input": 1, "output": 2}, "gpt-4o-mini": [0.2, 0.8]})
    assert table.price("gpt-4o-mini-2024-07-18") == Price(0.2, 0.8)
    assert table.price("gemini-2.5-flash-lite") == Price(0.10, 0.40)  # the longest prefix wins
    assert table.cost("my-local-model", 1_000_000, 500_000) == 2.0
    assert table.cost("offline-extractive", 10**6, 10**6) == 0.0
    with pytest.raises(ValueError):
        Price(-1, 0)


# --- cache ------------------------------------------------------------------------------------


def test_an_answer_from_a_fallback_model_is_not_cached(world: World) -> None:
    class Chain(ScriptedLanguageModel):  # a chain named after its first model, answered by another
        name = "gemini-2.5-flash"

    world.llm = Chain("From the fallback [1].", name="offline-extractive")
    world.llm.name = "gemini-2.5-flash"
    world.llm.complete = lambda request, llm=world.llm: (  # type: ignore[method-assign]
        llm.requests.append(request) or ScriptedLanguageModel("From the fallback [1].",
                                                              name="offline-extractive").complete(request))
    user = world.add_user()
    ready(world, user)
    first = ask(world, user, "Where was it signed?")
    assert first.model == "offline-extractive"  # the conversation records who really answered
    assert world.cache.items == {}
    assert not ask(world, user, "Where was it signed?").cached


def test_deleting_a_document_drops_its_cached_answers(world: World) -> None:
    user = world.add_user()
    document = ready(world, user)
    other = ready(world, user, "Bananas are yellow.", filename="fruit.txt")
    ask(world, user, "What is the invoice total?", document_id=document.id)
    ask(world, user, "What colour are bananas?", document_id=other.id)
    answer_keys = {k for k in world.cache.items if k.startswith("answer:")}
    assert len(answer_keys) == 2
    DeleteDocument(world.uow, world.storage, world.clock, cache=world.cache)(user.id, document.id)
    remaining = {k for k in world.cache.items if k.startswith("answer:")}
    assert len(remaining) == 1 and document.sha256 not in next(iter(remaining))
    # the same content uploaded again is answered afresh
    again = ready(world, user)
    assert not ask(world, user, "What is the invoice total?", document_id=again.id).cached


def test_deleting_any_document_of_a_library_drops_the_library_answers(world: World) -> None:
    user, other_user = world.add_user(), world.add_user()
    documents = [ready(world, user, f"Fact number {n} is {n * 7}.", filename=f"f{n}.txt") for n in range(5)]
    theirs = ready(world, other_user, "Bananas are yellow.", filename="fruit.txt")
    ask(world, user, "What is fact number 3?", whole_library=True)
    ask(world, user, "What is fact number 2?", document_id=documents[2].id)
    ask(world, other_user, "What colour are bananas?", document_id=theirs.id)
    assert len([k for k in world.cache.items if k.startswith("answer:")]) == 3
    library_indexes = [k for k in world.cache.items if k.startswith("answer-index:library:")]
    assert library_indexes == [f"answer-index:library:{user.id}"]  # one entry, not one per document
    DeleteDocument(world.uow, world.storage, world.clock, cache=world.cache)(user.id, documents[4].id)
    remaining = [k for k in world.cache.items if k.startswith("answer:")]
    assert len(remaining) == 2 and not any(k.startswith("answer-index:library:") for k in world.cache.items)


def test_clearing_the_library_drops_every_cached_answer(world: World) -> None:
    user = world.add_user()
    one, two = ready(world, user), ready(world, user, "Bananas are yellow.", filename="fruit.txt")
    ask(world, user, "What is the invoice total?", document_id=one.id)
    ask(world, user, "bananas?", document_ids=(one.id, two.id))
    assert ClearDocuments(world.uow, world.storage, world.clock, cache=world.cache)(user.id) == 2
    assert world.cache.items == {}


# --- several documents, the whole library -------------------------------------------------------


def test_a_question_across_several_documents(world: World) -> None:
    world.llm = ScriptedLanguageModel("Berlin [1]; bananas are yellow [4].")
    user = world.add_user()
    contract = ready(world, user)
    fruit = ready(world, user, "Bananas are yellow.", filename="fruit.txt")
    conversation = ask(world, user, "Where and what colour?", document_ids=(contract.id, fruit.id))
    assert conversation.document_id is None
    [request] = world.llm.requests
    assert [s.label for s in request.sources] == [
        "contract.txt, paragraph 1", "contract.txt, paragraph 2", "contract.txt, paragraph 3", "fruit.txt, paragraph 1"]
    assert conversation.answer == "Berlin [1]; bananas are yellow [2]."  # numbered in the order cited
    assert [(c.number, c.document_id, c.locators) for c in conversation.citations] == [
        (1, contract.id, (Locator(paragraph=1),)), (2, fruit.id, (Locator(paragraph=1),))]
    [event] = [e for e in world.store.events if e.type.value == "question_answered"]
    assert event.data["document_ids"] == [str(contract.id), str(fruit.id)]


def test_the_whole_library_uses_only_completed_documents(world: World) -> None:
    user = world.add_user()
    contract = ready(world, user)
    fruit = ready(world, user, "Bananas are yellow.", filename="fruit.txt")
    world.upload(user, "Still pending text.")
    ask(world, user, "anything?", whole_library=True)
    assert len(world.llm.requests[0].sources) == 4
    assert world.store.conversations[0].document_id is None
    assert {contract.id, fruit.id} == {c.document_id for c in world.store.conversations[0].citations} | {fruit.id}


def test_the_library_must_not_be_empty_and_every_document_must_be_mine_and_ready(world: World) -> None:
    user, intruder = world.add_user(), world.add_user()
    with pytest.raises(NoActiveDocument):  # 409: the question is well formed, there is nothing to ask
        ask(world, user, "anything?", whole_library=True)
    mine = ready(world, user)
    theirs = ready(world, intruder)
    with pytest.raises(DocumentNotFound):
        ask(world, user, "anything?", document_ids=(mine.id, theirs.id))
    pending = world.upload(user, "Not yet.")
    with pytest.raises(DocumentNotReady):
        ask(world, user, "anything?", document_ids=(mine.id, pending.id))


# --- map-reduce -----------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["Summarize the document", "Give me an overview", "What are the key points?",
                                      "Кратко перескажи документ", "О чём этот документ?", "Résumé du rapport",
                                      "Please summarise this report", "Can you give me a brief summary?",
                                      "What is this document about?", "tl;dr", "Сделай краткое резюме"])
def test_overview_questions_are_recognised(question: str) -> None:
    assert is_overview_question(question)


@pytest.mark.parametrize("question", [
    "What is the invoice total?", "Who signed the contract?", "What were the risk factors outlined in the report?",
    "What does the business overview say about revenue?", "Which products were outlined in the overview section?",
    "When will production resume?", "What is the summary compensation of the CEO?", "Какова цена Контракта?"])
def test_factual_questions_are_not_overviews(question: str) -> None:
    assert not is_overview_question(question)


def test_a_summary_of_a_long_document_reads_every_part_then_combines(world: World) -> None:
    world.llm = ScriptedLanguageModel("Signed in Berlin [1]. Paid in 30 days [2]. Two-year warranty [3].")
    user = world.add_user()
    ready(world, user)
    conversation = ask(world, user, "Summarize the document",
                       settings=RetrievalSettings(context_tokens=12, summary_max_calls=8))
    *maps, reduce = world.llm.requests
    assert [r.system for r in maps] == [MAP_PROMPT] * 3 and reduce.system == REDUCE_PROMPT
    assert [r.purpose for r in maps] == ["notes"] * 3 and reduce.purpose == "answer"
    assert [[s.number for s in r.sources] for r in maps] == [[1], [2], [3]]  # numbered like the chunks
    # the reduce step sees what each part said, under the number of the chunk it cites
    assert [s.number for s in reduce.sources] == [1, 2, 3]
    assert [c.locators for c in conversation.citations] == [
        (Locator(paragraph=1),), (Locator(paragraph=2),), (Locator(paragraph=3),)]
    assert (conversation.tokens_in, conversation.tokens_out) == (400, 40)  # 3 map calls + the reduce call


def test_map_calls_are_bounded_by_growing_the_parts(world: World) -> None:
    user = world.add_user()
    ready(world, user)
    ask(world, user, "Give me an overview", settings=RetrievalSettings(context_tokens=20, summary_max_calls=2))
    assert [r.system for r in world.llm.requests] == [MAP_PROMPT, MAP_PROMPT, REDUCE_PROMPT]


def test_a_summary_question_on_a_document_that_fits_is_one_call(world: World) -> None:
    user = world.add_user()
    ready(world, user)
    ask(world, user, "Summarize the document")
    assert [r.system for r in world.llm.requests] == [SYSTEM_PROMPT]


# --- the offline model end to end ----------------------------------------------------------------


def test_offline_answer_quotes_the_sentence_with_its_locator(world: World) -> None:
    world.llm = OfflineLanguageModel(SnowballAnalyzer())
    user = world.add_user()
    ready(world, user)
    conversation = ask(world, user, "What is the invoice total?")
    assert "42000 EUR" in conversation.answer
    assert [c.locators for c in conversation.citations] == [(Locator(paragraph=2),)]
    assert conversation.model == "offline-extractive" and conversation.cost_usd == 0
    assert conversation.tokens_in > 0 and conversation.tokens_out > 0  # estimated


def test_offline_says_plainly_when_the_document_holds_nothing_relevant(world: World) -> None:
    world.llm = OfflineLanguageModel(SnowballAnalyzer())
    user = world.add_user()
    ready(world, user)
    conversation = ask(world, user, "Who is the chief executive officer?")
    assert conversation.answer == "The document does not contain information about this."
    assert conversation.citations == []


def test_offline_replies_in_the_language_of_the_question(world: World) -> None:
    world.llm = OfflineLanguageModel(SnowballAnalyzer())
    user = world.add_user()
    ready(world, user, "Договор подписан в Берлине 3 марта 2025 года.\n\nГарантийный срок составляет два года.")
    conversation = ask(world, user, "Какой гарантийный срок?")
    assert conversation.answer == "Гарантийный срок составляет два года. [1]"
    assert ask(world, user, "Кто генеральный директор?").answer == "В документе нет сведений об этом."


# --- usage per day, history --------------------------------------------------------------------


def test_usage_reports_tokens_and_cost_per_day(world: World) -> None:
    world.llm = ScriptedLanguageModel(name="gemini-2.5-flash")
    user = world.add_user()
    ready(world, user)
    ask(world, user, "What is the invoice total?")
    ask(world, user, "What is the invoice total?")  # cached: counted as a question, no tokens
    world.clock.advance(86400)
    ask(world, user, "When was it signed?")
    report = GetUsage(uow=world.uow, limiter=world.limiter, tiers=world.tiers, clock=world.clock,
                      days=30)(user.id, history=True)
    assert [(d.day, d.questions, d.cached, d.tokens_in, d.tokens_out) for d in report.daily] == [
        (world.clock.now().date().replace(day=world.clock.now().day - 1), 2, 1, 100, 10),
        (world.clock.now().date(), 1, 0, 100, 10)]
    one = (100 * 0.30 + 10 * 2.50) / 1e6
    assert report.cost_usd == pytest.approx(2 * one) and (report.tokens_in, report.tokens_out) == (200, 20)
    only_today = GetUsage(uow=world.uow, limiter=world.limiter, tiers=world.tiers, clock=world.clock, days=1)
    assert len(only_today(user.id, history=True).daily) == 1
    assert only_today(user.id).daily == ()  # without history: no extra query


def test_history_is_newest_first_and_mine_only(world: World) -> None:
    user, other = world.add_user(), world.add_user()
    ready(world, user)
    ready(world, other)
    ask(world, user, "first?")
    world.clock.advance(1)
    ask(world, user, "second?")
    ask(world, other, "theirs?")
    assert [c.question for c in ListConversations(world.uow)(user.id)] == ["second?", "first?"]
    assert [c.question for c in ListConversations(world.uow)(user.id, limit=1)] == ["second?"]
    with pytest.raises(InvalidInput):
        ListConversations(world.uow)(user.id, limit=0)


def test_one_conversation_is_found_for_its_owner_only(world: World) -> None:
    user, other = world.add_user(), world.add_user()
    ready(world, user)
    mine = ask(world, user, "first?")
    history = ListConversations(world.uow)
    assert history.find(user.id, mine.id) == mine
    assert history.find(other.id, mine.id) is None  # told apart from a missing one by nothing
    assert history.find(user.id, uuid.uuid4()) is None


# --- the model cannot answer ------------------------------------------------------------------


class Down(ScriptedLanguageModel):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def complete(self, request):  # noqa: ANN001, ANN201
        raise self.error


@pytest.mark.parametrize("error", [LanguageModelUnavailable("503", status=503), LanguageModelRejected("401", status=401)])
def test_a_model_that_cannot_answer_is_service_unavailable_and_nothing_is_stored(world: World, error: Exception) -> None:
    world.llm = Down(error)
    user = world.add_user()
    ready(world, user)
    with pytest.raises(ServiceUnavailable) as caught:
        ask(world, user, "What is the invoice total?")
    assert caught.value.code == "service_unavailable" and caught.value.details == {"service": "language_model"}
    assert world.store.conversations == [] and world.cache.items == {}


class BrokenCache:
    def get(self, key: str) -> bytes | None:
        raise ConnectionError("cache down")

    def get_local(self, key: str) -> bytes | None:
        return None

    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None:
        raise ConnectionError("cache down")

    def delete(self, key: str) -> None:
        raise ConnectionError("cache down")


def test_a_broken_answer_cache_is_a_miss_not_an_error(world: World) -> None:
    world.cache = BrokenCache()  # type: ignore[assignment]
    user = world.add_user()
    document = ready(world, user)
    assert not ask(world, user, "What is the invoice total?").cached
    assert len(world.store.conversations) == 1
    DeleteDocument(world.uow, world.storage, world.clock, cache=world.cache)(user.id, document.id)  # logged only
    assert world.document(document.id) is None
