"""A question answered through the search index, end to end in one process, as bench/qa_world.py
runs it: the shipped container on a SQLite file (embedded profile, inline queue, offline model,
the WordLlama embedder), real corpus documents uploaded and processed by the use cases, questions
asked through QueryDocument. Each fact was read in the documents' extracted text: Apple's 10-Q
for the quarter ended April 1, 2023 (page 4: total net sales 94,836; page 6: total assets
332,160) and the Russian works contract bug65649.docx (the price 39 921 700,00; a
24-month warranty; payment within 15 working days; in force until 25.12.2016).

A document processed before the index existed (its index rows deleted here) is answered from its
chunks ranked in memory, and queued to be indexed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from dependency_injector import providers

from application.use_cases.ensure_user import EnsureEmailUserCommand
from application.use_cases.query_document import QueryDocumentCommand
from application.use_cases.upload_document import UploadDocumentCommand
from config.bootstrap import build_container
from config.container import Container
from domain.conversations import Conversation
from domain.documents import Document, DocumentStatus
from domain.errors import DomainError
from domain.users import Role, Tier
from bench.qa_world import Recording
from tests.corpus import corpus_path

FILING = "pdf/sec-10q/2023-Q2-AAPL.pdf"
CONTRACT = "docx/bug65649.docx"


class World:
    def __init__(self, home: Path) -> None:
        self.container: Container = build_container(home=home, log_level="WARNING", llm_backend="offline",
                                                    queue_backend="inline", embedding_backend="static")
        self.recorder = Recording(self.container.language_model().models[0])
        self.container.language_model.override(providers.Object(self.recorder))
        ensure = self.container.ensure_user()
        self.user_id = ensure.email(EnsureEmailUserCommand(email="asker@example.com")).id
        admin = ensure.email(EnsureEmailUserCommand(email="admin@example.com", role=Role.ADMIN))
        self.container.set_tier()(admin.id, self.user_id, Tier.ENTERPRISE)  # no rate limit in the way

    def ingest(self, relative: str) -> Document:
        path = corpus_path(relative)
        result = self.container.upload_document()(UploadDocumentCommand(
            user_id=self.user_id, filename=path.name, data=path.read_bytes()))
        assert self.container.queue().join(timeout=240)
        with self.container.uow() as uow:
            document = uow.documents.get(result.document.id)
        assert document is not None and document.status is DocumentStatus.COMPLETED, document
        return document

    def ask(self, document: Document, question: str) -> tuple[Conversation, list[str]]:
        self.recorder.last = None
        conversation = self.container.query_document()(QueryDocumentCommand(
            user_id=self.user_id, question=question, document_ids=(document.id,)))
        return conversation, [s.text for s in self.recorder.last.sources] if self.recorder.last else []

    def indexed(self, document: Document) -> bool:
        with self.container.uow() as uow:
            state = uow.search.states([document.id]).get(document.id)
        return self.container.indexer().current(state)

    def cited_text(self, document: Document, conversation: Conversation) -> str:
        """The text at the locators the citations point to: the page of a PDF, the paragraph of a DOCX."""
        with self.container.uow() as uow:
            chunks = uow.chunks.list_for_document(document.id)
        parts = []
        for citation in conversation.citations:
            for cited in citation.locators:
                for chunk in chunks:
                    for locator, text in chunk.located_texts():
                        if (cited.page is not None and locator.page == cited.page) or (
                                cited.paragraph is not None and locator.paragraph == cited.paragraph):
                            parts.append(text)
        return "\n".join(parts)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = World(tmp_path_factory.mktemp("pipeline"))
    yield built
    built.container.queue().shutdown()
    built.container.engine().dispose()


@pytest.fixture(scope="module")
def filing(world: World) -> Document:
    return world.ingest(FILING)


@pytest.fixture(scope="module")
def contract(world: World) -> Document:
    return world.ingest(CONTRACT)


def folded(text: str) -> str:
    return " ".join(text.casefold().split())


def holds(text: str, fact: str) -> bool:
    return folded(fact) in folded(text)


def assert_answered(world: World, document: Document, conversation: Conversation, sources: list[str],
                    fact: str) -> None:
    assert any(holds(source, fact) for source in sources), f"{fact!r} not in the context sent to the model"
    assert holds(conversation.answer, fact), conversation.answer
    assert conversation.citations, conversation.answer
    assert {c.document_id for c in conversation.citations} == {document.id}
    assert holds(world.cited_text(document, conversation), fact), [c.label for c in conversation.citations]


def test_processing_indexes_each_document_with_its_language(world: World, filing: Document,
                                                           contract: Document) -> None:
    with world.container.uow() as uow:
        states = uow.search.states([filing.id, contract.id])
        chunks = {d: uow.chunks.list_for_document(d) for d in (filing.id, contract.id)}
    assert states[filing.id].language == "en" and states[contract.id].language == "ru"
    analyzer = world.container.indexer().analyzer.name  # pinned in test_snowball_analyzer.py
    for document_id, state in states.items():
        assert (state.analyzer, state.model) == (analyzer, "wordllama-l2-supercat-256")
        assert state.tokens == sum(c.token_count for c in chunks[document_id])
    budget = world.container.retrieval().context_tokens
    assert states[filing.id].tokens > budget and states[contract.id].tokens > budget  # the index is what answers


@pytest.mark.parametrize(("question", "fact", "page"), [
    ("What were Apple's total net sales for the three months ended April 1, 2023?", "94,836", 4),
    ("Total assets?", "332,160", 6),
])
def test_a_10q_question_is_answered_from_the_index_with_its_page(world: World, filing: Document, question: str,
                                                                 fact: str, page: int) -> None:
    with world.container.uow() as uow:
        found = world.container.finder().find(uow, question, [filing.id], world.container.retrieval().context_tokens)
    assert found.unindexed == () and any(holds(c.text, fact) for c in found.chunks)
    conversation, sources = world.ask(filing, question)
    assert_answered(world, filing, conversation, sources, fact)
    assert page in {loc.page for c in conversation.citations for loc in c.locators}


@pytest.mark.parametrize(("question", "fact"), [
    ("Какова цена Контракта?", "39 921 700,00"),
    ("срок гарантии?", "24 (Двадцать четыре) месяца"),
])
def test_a_russian_contract_question_is_answered_from_the_index(world: World, contract: Document, question: str,
                                                                fact: str) -> None:
    conversation, sources = world.ask(contract, question)
    assert_answered(world, contract, conversation, sources, fact)
    assert all(loc.paragraph is not None for c in conversation.citations for loc in c.locators)


def test_a_document_without_its_index_is_answered_by_the_fallback_and_queued(world: World,
                                                                            contract: Document) -> None:
    question, fact = "В какой срок заказчик оплачивает выполненные работы?", "15 (пятнадцати) рабочих дней"
    container = world.container
    assert container.queue().join(timeout=60)
    with container.uow() as uow:  # as if processed before the search index existed
        uow.search.delete(contract.id)
        uow.commit()
    assert not world.indexed(contract)
    with container.uow() as uow:
        found = container.finder().find(uow, question, [contract.id], container.retrieval().context_tokens)
    assert found.unindexed == (contract.id,)
    assert any(holds(c.text, fact) for c in found.chunks)

    conversation, sources = world.ask(contract, question)
    assert_answered(world, contract, conversation, sources, fact)
    assert container.queue().join(timeout=240)
    assert world.indexed(contract)  # the question queued it; its job indexed it
    assert container.cache().get(f"reindex:{contract.id}") is not None

    with container.uow() as uow:  # lost again within the mark's lifetime: answered, not queued again
        uow.search.delete(contract.id)
        uow.commit()
    again, sources = world.ask(contract, "До какого числа действует контракт?")  # not asked before: no cached answer
    assert_answered(world, contract, again, sources, "действует до 25.12.2016")
    assert container.queue().join(timeout=60)
    assert not world.indexed(contract)
    assert container.index_document()(contract.id) and world.indexed(contract)  # as `assistant reindex` does


def test_a_document_of_another_user_is_never_searched(world: World, filing: Document) -> None:
    other = world.container.ensure_user().email(EnsureEmailUserCommand(email=f"{uuid.uuid4().hex[:8]}@example.com"))
    with pytest.raises(DomainError) as refused:
        world.container.query_document()(QueryDocumentCommand(
            user_id=other.id, question="What were total net sales?", document_ids=(filing.id,)))
    assert refused.value.code in {"document_not_found", "permission_denied"}


def test_a_question_of_only_a_common_year_is_answered(tmp_path: Path) -> None:
    alone = World(tmp_path)  # a library of this filing only: "2023" is in most of its chunks
    try:
        filing = alone.ingest(FILING)
        conversation, sources = alone.ask(filing, "What about 2023?")
        assert conversation.answer
        assert sources and all("2023" in source for source in sources)  # the year alone found its chunks
    finally:
        alone.container.queue().shutdown()
        alone.container.engine().dispose()
