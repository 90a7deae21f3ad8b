"""The DocumentIndex port (application/ports/search_index.py) on SQLite (FTS5) and PostgreSQL
(tsvector + GIN), reached as the app reaches it: ``container.uow().search`` of a built container,
indexes made by the real DocumentIndexer (Snowball terms, WordLlama vectors) from chunks of
text. tests/contract/test_search_index.py holds the BM25 details with hand-made terms; this file
is about the real analysis meeting the real tables."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, func, select, text

from adapters.persistence import migrate
from adapters.persistence.search import postgres as postgres_search
from adapters.persistence.tables import metadata, search_chunks, search_documents
from application.ports.embedder import Embeddings
from application.ports.search_index import DocumentIndex, IndexedChunk
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.index_document import DocumentIndexer
from config.bootstrap import build_container
from config.container import Container
from domain.chunks import Chunk
from domain.documents import Document
from domain.locators import Locator
from tests.contract.test_repositories import a_user
from tests.contract.test_search_index import stored, vectors

PENALTY = ["Подрядчик уплачивает штраф в размере 5% от цены Контракта.",
           "Споры рассматриваются в арбитражном суде по месту нахождения Заказчика.",
           "Invoices and payments are settled by bank transfer."]
FILING = ["Invoices are payable within 30 days of receipt; late payments incur a fee.",
          "The cafeteria serves vegetarian lunch on Fridays.",
          "Parking spaces are assigned by the facilities team."]


@pytest.fixture(scope="module")
def sqlite_container(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    home = tmp_path_factory.mktemp("search-sqlite")
    container = build_container(home=home, database_url=f"sqlite:///{home / 'assistant.db'}", log_level="WARNING")
    yield container
    container.engine().dispose()


@pytest.fixture(scope="module")
def postgres_container(make_postgres_database: Callable[[], str],
                       tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    url = make_postgres_database()
    migrate.upgrade(url)
    container = build_container(home=tmp_path_factory.mktemp("search-postgres"), database_url=url,
                                log_level="WARNING")
    yield container
    container.engine().dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def container(request: pytest.FixtureRequest) -> Container:
    """The backend's container over empty tables."""
    built: Container = request.getfixturevalue(f"{request.param}_container")
    with built.engine().begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name == "audit_log" and connection.dialect.name == "postgresql":
                connection.execute(text("TRUNCATE audit_log"))  # append-only: its trigger refuses DELETE
            else:
                connection.execute(table.delete())
    return built


@pytest.fixture
def uow(container: Container) -> UnitOfWork:
    return container.uow()


@pytest.fixture(scope="module")
def indexer(sqlite_container: Container) -> DocumentIndexer:
    """The app's own indexer: Snowball analyzer and the WordLlama embedder."""
    built: DocumentIndexer = sqlite_container.indexer()
    assert built.embedder is not None and built.embedder.warm()
    return built


def chunks_of(document: Document, texts: list[str]) -> list[Chunk]:
    return [Chunk(document_id=document.id, ordinal=i, text=t, locators=(Locator(paragraph=i + 1),), start=0,
                  end=len(t), token_count=len(t.split())) for i, t in enumerate(texts)]


def indexed(uow: UnitOfWork, indexer: DocumentIndexer, document: Document, texts: list[str]) -> DocumentIndex:
    index = indexer.build(document.id, chunks_of(document, texts))
    with uow:
        uow.search.replace(index)
        uow.commit()
    return index


def lexical(uow: UnitOfWork, ids: list[uuid.UUID], terms: list[str], limit: int = 10) -> list[tuple[uuid.UUID, int]]:
    with uow:
        return [(h.document_id, h.ordinal) for h in uow.search.lexical(ids, terms, limit=limit)]


def count(engine: Engine, table: object, document_id: uuid.UUID) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)
                                  .where(table.c.document_id == document_id)).scalar_one()


def test_a_chunk_is_found_by_any_inflection_of_its_words(uow: UnitOfWork, indexer: DocumentIndexer) -> None:
    document = stored(uow)
    index = indexed(uow, indexer, document, PENALTY)
    assert index.language == "ru"
    analyze = indexer.analyzer.terms
    for question, ordinal in [("штрафом", 0), ("Какие штрафы?", 0), ("в суде", 1), ("судом", 1),
                              ("payment", 2), ("Invoice", 2)]:
        assert lexical(uow, [document.id], analyze(question, "ru")) == [(document.id, ordinal)], question
    assert lexical(uow, [document.id], analyze("дивиденды", "ru")) == []


def test_a_term_ending_in_a_star_is_a_prefix(uow: UnitOfWork, indexer: DocumentIndexer) -> None:
    document = stored(uow)
    indexed(uow, indexer, document, ["Увеличение цены не допускается.", "Заказчик вправе увеличить объём работ.",
                                     "Уменьшение объёма работ."])
    stems = indexer.analyzer.terms("увеличение увеличить", "ru")
    assert stems == ["увеличен", "увелич"]
    assert {o for _, o in lexical(uow, [document.id], ["увелич*"])} == {0, 1}
    assert lexical(uow, [document.id], ["увелич"]) == [(document.id, 1)]  # without the star: the exact term
    assert lexical(uow, [document.id], ["увеличн*"]) == []


def test_lookups_never_leave_the_documents_asked_about(uow: UnitOfWork, indexer: DocumentIndexer) -> None:
    owner = a_user()
    with uow:
        uow.users.add(owner)
        uow.commit()
    mine, also_mine = stored(uow, owner), stored(uow, owner)
    theirs = stored(uow)  # another owner's document with the same words
    for document in (mine, also_mine, theirs):
        indexed(uow, indexer, document, FILING)
    terms = indexer.analyzer.terms("payable invoices", "en")
    assert lexical(uow, [mine.id], terms) == [(mine.id, 0)]
    assert {d for d, _ in lexical(uow, [mine.id, also_mine.id], terms)} == {mine.id, also_mine.id}
    assert {d for d, _ in lexical(uow, [theirs.id, uuid.uuid4()], terms)} == {theirs.id}
    assert lexical(uow, [], terms) == []
    query = indexer.embedder.embed(["When must an invoice be paid?"])
    with uow:
        dense = uow.search.dense([mine.id, also_mine.id], query, limit=10)
        nobody = uow.search.dense([], query, limit=10)
        states = uow.search.states([mine.id])
    assert len(dense) == 2 * len(FILING) and {h.document_id for h in dense} == {mine.id, also_mine.id}
    assert nobody == []
    assert states.keys() == {mine.id}


def test_dense_ranks_the_nearest_chunk_first(uow: UnitOfWork, indexer: DocumentIndexer) -> None:
    document = stored(uow)
    index = indexed(uow, indexer, document, FILING)
    assert index.vectors is not None and index.vectors.count == len(FILING)
    for question, nearest in [("When is payment of an invoice due?", 0), ("What is for lunch on Friday?", 1),
                              ("Who assigns car parking?", 2)]:
        with uow:
            hits = uow.search.dense([document.id], indexer.embedder.embed([question]), limit=3)
        assert [h.ordinal for h in hits][0] == nearest, question
        assert len(hits) == 3 and hits[0].score > hits[1].score >= hits[2].score
    with uow:
        other_model = uow.search.dense([document.id], vectors(*[(1.0,) + (0.0,) * 255]), limit=3)
        capped = uow.search.dense([document.id], indexer.embedder.embed(["lunch"]), limit=1)
    assert other_model == [] and len(capped) == 1


def test_dense_scores_are_cosines_and_follow_a_replaced_index(uow: UnitOfWork) -> None:
    document = stored(uow)
    chunks = (IndexedChunk(ordinal=0, terms=("a",)), IndexedChunk(ordinal=1, terms=("b",)))

    def replace(embeddings: Embeddings) -> None:
        with uow:
            uow.search.replace(DocumentIndex(document_id=document.id, language="en", analyzer="snowball-3",
                                             chunks=chunks, tokens=2, vectors=embeddings))
            uow.commit()

    def nearest() -> list[tuple[int, float]]:
        with uow:
            return [(h.ordinal, round(h.score, 3)) for h in uow.search.dense([document.id], vectors((0.0, 1.0)), limit=2)]

    replace(vectors((0.6, 0.8), (1.0, 0.0)))
    assert nearest() == [(0, 0.8), (1, 0.0)]
    replace(vectors((1.0, 0.0), (0.0, 1.0)))  # a new version: the cached matrix is not used
    assert nearest() == [(1, 1.0), (0, 0.0)]


def test_states_report_what_built_the_index(uow: UnitOfWork, indexer: DocumentIndexer, container: Container) -> None:
    russian, english, plain = stored(uow), stored(uow), stored(uow)
    indexed(uow, indexer, russian, PENALTY)
    indexed(uow, indexer, english, FILING)
    with uow:
        uow.search.replace(DocumentIndexer(indexer.analyzer).build(plain.id, chunks_of(plain, FILING[:1])))
        uow.commit()
    with uow:
        states = uow.search.states([russian.id, english.id, plain.id, uuid.uuid4()])
    assert states.keys() == {russian.id, english.id, plain.id}
    analyzer = indexer.analyzer.name  # the app's analyzer (its name is pinned in test_snowball_analyzer.py)
    assert [(states[d].language, states[d].analyzer, states[d].model) for d in (russian.id, english.id, plain.id)] == [
        ("ru", analyzer, "wordllama-l2-supercat-256"), ("en", analyzer, "wordllama-l2-supercat-256"),
        ("en", analyzer, None)]
    assert states[english.id].tokens == sum(len(t.split()) for t in FILING)
    assert indexer.current(states[english.id]) and not indexer.current(states[plain.id])
    before = _version(container, english.id)
    indexed(uow, indexer, english, FILING)
    assert _version(container, english.id) != before  # a new version at each replace


def _version(container: Container, document_id: uuid.UUID) -> uuid.UUID:
    with container.engine().connect() as connection:
        return connection.execute(select(search_documents.c.version)
                                  .where(search_documents.c.document_id == document_id)).scalar_one()


def test_replacing_a_document_twice_leaves_no_stale_chunks(uow: UnitOfWork, indexer: DocumentIndexer,
                                                           container: Container) -> None:
    document, other = stored(uow), stored(uow)
    indexed(uow, indexer, other, FILING)
    indexed(uow, indexer, document, PENALTY)
    indexed(uow, indexer, document, ["Гарантийный срок составляет 24 месяца."])
    analyze = indexer.analyzer.terms
    assert lexical(uow, [document.id], analyze("штраф суд payments", "ru")) == []
    assert lexical(uow, [document.id], analyze("гарантийный срок", "ru")) == [(document.id, 0)]
    engine = container.engine()
    assert count(engine, search_chunks, document.id) == 1 and count(engine, search_documents, document.id) == 1
    assert count(engine, search_chunks, other.id) == len(FILING)  # another document's rows untouched
    with uow:
        assert uow.search.dense([document.id], indexer.embedder.embed(["штраф"]), limit=10)[0].ordinal == 0
        assert len(uow.search.dense([document.id], indexer.embedder.embed(["штраф"]), limit=10)) == 1
    _fts_consistent(engine)


def _fts_consistent(engine: Engine) -> None:
    """SQLite: the FTS5 index agrees with search_chunks, its external content (the triggers' work)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))
        indexed_rows = connection.execute(text("SELECT count(*) FROM search_fts")).scalar_one()
        assert indexed_rows == connection.execute(text("SELECT count(*) FROM search_chunks")).scalar_one()


def test_delete_removes_everything_of_the_document(uow: UnitOfWork, indexer: DocumentIndexer,
                                                   container: Container) -> None:
    document, kept = stored(uow), stored(uow)
    indexed(uow, indexer, document, FILING)
    indexed(uow, indexer, kept, FILING)
    with uow:
        uow.search.delete(document.id)
        uow.commit()
    terms = indexer.analyzer.terms("invoices payable", "en")
    query = indexer.embedder.embed(["invoices payable"])
    with uow:
        assert uow.search.states([document.id, kept.id]).keys() == {kept.id}
        assert uow.search.dense([document.id], query, limit=5) == []
        assert uow.documents.get(document.id) is not None  # the document itself stays
        uow.search.delete(document.id)  # forgetting twice is harmless
        uow.commit()
    assert lexical(uow, [document.id, kept.id], terms) == [(kept.id, 0)]
    engine = container.engine()
    assert count(engine, search_chunks, document.id) == 0 and count(engine, search_documents, document.id) == 0
    _fts_consistent(engine)

    with uow:  # the document's deletion takes its index with it
        uow.documents.delete(kept.id)
        uow.commit()
    assert lexical(uow, [kept.id], terms) == [] and count(engine, search_chunks, kept.id) == 0
    _fts_consistent(engine)


def test_a_document_with_no_chunks_is_indexed_and_finds_nothing(uow: UnitOfWork, indexer: DocumentIndexer,
                                                               container: Container) -> None:
    document = stored(uow)
    empty = indexer.build(document.id, [])
    assert empty.chunks == () and empty.vectors is None and empty.tokens == 0
    with uow:
        uow.search.replace(empty)
        uow.commit()
    with uow:
        [state] = uow.search.states([document.id]).values()
        assert uow.search.lexical([document.id], ["invoic"], limit=5) == []
        assert uow.search.dense([document.id], indexer.embedder.embed(["invoice"]), limit=5) == []
    assert (state.tokens, state.model, state.analyzer) == (0, None, indexer.analyzer.name)
    assert count(container.engine(), search_chunks, document.id) == 0
    indexed(uow, indexer, document, FILING)  # and it can be indexed with chunks later
    assert lexical(uow, [document.id], ["invoic"]) == [(document.id, 0)]


# --- found by these tests, fixed ---------------------------------------------------------------


def test_a_lookup_of_a_common_number_alone_finds_its_chunks(uow: UnitOfWork, indexer: DocumentIndexer,
                                                          container: Container,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    document = stored(uow)
    indexed(uow, indexer, document, [f"Revenue in 2023 grew in region {name}." for name in ("north", "south", "west")])
    if container.engine().dialect.name == "postgresql":  # the planner's statistics, read afresh
        with container.engine().begin() as connection:
            connection.execute(text("ANALYZE search_chunks"))
        monkeypatch.setattr(postgres_search, "_stats", (float("-inf"), {}))
    assert {o for _, o in lexical(uow, [document.id], ["2023"])} == {0, 1, 2}


def test_dense_hits_name_chunks_by_their_ordinal_and_flag(uow: UnitOfWork) -> None:
    """The vectors' rows follow the chunks as given (here ordinal 1 first); hits name the chunk's
    ordinal and carry its boilerplate flag, as lexical hits do."""
    document = stored(uow)
    with uow:
        uow.search.replace(DocumentIndex(
            document_id=document.id, language="en", analyzer="snowball-3", tokens=2,
            chunks=(IndexedChunk(ordinal=1, terms=("signatur",), boilerplate=True), IndexedChunk(ordinal=0, terms=("b",))),
            vectors=vectors((1.0, 0.0), (0.0, 1.0))))
        uow.commit()
    with uow:
        lexical_hits = uow.search.lexical([document.id], ["signatur"], limit=2)
        hits = uow.search.dense([document.id], vectors((1.0, 0.0)), limit=2)
    assert [(h.ordinal, h.boilerplate) for h in lexical_hits] == [(1, True)]
    assert [(h.ordinal, h.boilerplate) for h in hits] == [(1, True), (0, False)]


def test_vectors_of_a_part_of_a_documents_chunks_are_refused(uow: UnitOfWork) -> None:
    """A matrix row is named by its position: vectors must cover the document's chunks 0..n-1."""
    document = stored(uow)
    with uow, pytest.raises(ValueError, match="ordinals"):
        uow.search.replace(DocumentIndex(
            document_id=document.id, language="en", analyzer="snowball-3", tokens=2,
            chunks=(IndexedChunk(ordinal=3, terms=("a",)), IndexedChunk(ordinal=7, terms=("b",))),
            vectors=vectors((1.0, 0.0), (0.0, 1.0))))


def test_states_in_the_unit_of_work_that_deleted_the_document(uow: UnitOfWork, indexer: DocumentIndexer) -> None:
    document = stored(uow)
    indexed(uow, indexer, document, FILING)
    with uow:
        assert document.id in uow.search.states([document.id])
        uow.documents.delete(document.id)
        assert uow.search.states([document.id]) == {}
