"""SearchIndex contract on every backend (the fake, SQLite FTS5, PostgreSQL full-text search):
a document's index replaced as a whole, lookups scoped to the documents asked about, BM25-style
ranking (a rare term outweighs a common one, more occurrences outweigh fewer), dense lookups
by cosine among the documents of the query's model, and the rows gone with their document."""

from __future__ import annotations

import struct
import uuid

import pytest

from application.ports.embedder import Embeddings
from application.ports.search_index import DocumentIndex, IndexedChunk
from application.ports.unit_of_work import UnitOfWork
from domain.documents import Document, DocumentStatus
from domain.users import User
from tests.contract.test_repositories import a_document, a_user


def vectors(*rows: tuple[float, ...], model: str = "m") -> Embeddings:
    flat = [value for row in rows for value in row]
    return Embeddings(model=model, dim=len(rows[0]), data=struct.pack(f"<{len(flat)}e", *flat))


def stored(uow: UnitOfWork, user: User | None = None) -> Document:
    with uow:
        if user is None:
            user = a_user()
            uow.users.add(user)
        document = a_document(user, status=DocumentStatus.COMPLETED)
        uow.documents.add(document)
        uow.commit()
    return document


def index(document: Document, *chunks: tuple[str, ...], boilerplate: tuple[int, ...] = (),
          embeddings: Embeddings | None = None, language: str = "en") -> DocumentIndex:
    return DocumentIndex(document_id=document.id, language=language, analyzer="test-1", tokens=10 * len(chunks),
                         chunks=tuple(IndexedChunk(ordinal=i, terms=terms, boilerplate=i in boilerplate)
                                      for i, terms in enumerate(chunks)), vectors=embeddings)


FILING = (("revenu", "quarter", "growth"), ("quarter", "margin", "quarter"), ("signatur", "quarter"),
          ("revenu", "revenu", "revenu", "quarter"), ("dividend", "declar"))


def test_states_say_what_is_indexed_and_how(uow: UnitOfWork) -> None:
    document, other = stored(uow), stored(uow)
    with uow:
        assert uow.search.states([document.id, other.id]) == {}
        uow.search.replace(index(document, *FILING, embeddings=vectors(*[(1.0, 0.0)] * 5)))
        uow.commit()
    with uow:
        [state] = uow.search.states([document.id, other.id, uuid.uuid4()]).values()
    assert (state.document_id, state.language, state.analyzer, state.model, state.tokens) == (
        document.id, "en", "test-1", "m", 50)


def test_lexical_ranks_by_bm25_within_the_documents_asked(uow: UnitOfWork) -> None:
    document = stored(uow)
    with uow:
        uow.search.replace(index(document, *FILING, boilerplate=(2,)))
        uow.commit()
    with uow:
        hits = uow.search.lexical([document.id], ["revenu", "quarter"], limit=10)
        dividend = uow.search.lexical([document.id], ["dividend"], limit=10)
        none = uow.search.lexical([document.id], ["nothing"], limit=10)
        capped = uow.search.lexical([document.id], ["quarter"], limit=2)
    ordinals = [h.ordinal for h in hits]
    assert set(ordinals) == {0, 1, 2, 3}  # every chunk holding a term, none other
    assert ordinals.index(3) < ordinals.index(1) and ordinals.index(0) < ordinals.index(1)  # the rarer term wins
    assert ordinals.index(3) < ordinals.index(0) or hits[0].score == hits[1].score  # three times "revenu"
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))
    assert [h.boilerplate for h in hits if h.ordinal == 2] == [True]
    assert all(h.document_id == document.id for h in hits)
    assert [h.ordinal for h in dividend] == [4] and none == [] and len(capped) == 2


def test_lexical_never_returns_another_documents_chunks(uow: UnitOfWork) -> None:
    mine, theirs = stored(uow), stored(uow)
    with uow:
        uow.search.replace(index(mine, ("revenu",), ("margin",)))
        uow.search.replace(index(theirs, ("revenu", "revenu"), ("revenu",)))
        uow.commit()
    with uow:
        hits = uow.search.lexical([mine.id], ["revenu"], limit=10)
        both = uow.search.lexical([mine.id, theirs.id], ["revenu"], limit=10)
        nobody = uow.search.lexical([], ["revenu"], limit=10)
    assert [(h.document_id, h.ordinal) for h in hits] == [(mine.id, 0)]
    assert {(h.document_id, h.ordinal) for h in both} == {(mine.id, 0), (theirs.id, 0), (theirs.id, 1)}
    assert nobody == []


def test_replacing_an_index_drops_the_old_rows(uow: UnitOfWork) -> None:
    document = stored(uow)
    with uow:
        uow.search.replace(index(document, ("revenu",), ("margin",)))
        uow.commit()
    with uow:
        uow.search.replace(index(document, ("dividend",)))
        uow.commit()
    with uow:
        assert uow.search.lexical([document.id], ["revenu", "margin"], limit=10) == []
        assert [h.ordinal for h in uow.search.lexical([document.id], ["dividend"], limit=10)] == [0]
        assert uow.search.states([document.id])[document.id].model is None


def test_dense_ranks_by_cosine_among_documents_of_the_same_model(uow: UnitOfWork) -> None:
    document = stored(uow)
    other_model = stored(uow)
    with uow:
        uow.search.replace(index(document, ("a",), ("b",), ("c",),
                                 embeddings=vectors((1.0, 0.0), (0.6, 0.8), (0.0, 1.0))))
        uow.search.replace(index(other_model, ("a",), embeddings=vectors((1.0, 0.0), model="other")))
        uow.commit()
    with uow:
        hits = uow.search.dense([document.id, other_model.id], vectors((0.0, 1.0)), limit=2)
        wrong_size = uow.search.dense([document.id], vectors((1.0, 0.0, 0.0)), limit=2)
    assert [(h.document_id, h.ordinal) for h in hits] == [(document.id, 2), (document.id, 1)]
    assert hits[0].score == pytest.approx(1.0, abs=1e-3) and hits[1].score == pytest.approx(0.8, abs=1e-3)
    assert wrong_size == []


def test_deleting_the_document_deletes_its_index(uow: UnitOfWork) -> None:
    document, kept = stored(uow), stored(uow)
    with uow:
        uow.search.replace(index(document, ("revenu",), embeddings=vectors((1.0, 0.0))))
        uow.search.replace(index(kept, ("revenu",)))
        uow.commit()
    with uow:
        uow.documents.delete(document.id)
        uow.commit()
    with uow:
        assert uow.search.states([document.id, kept.id]).keys() == {kept.id}
        assert [h.document_id for h in uow.search.lexical([document.id, kept.id], ["revenu"], limit=5)] == [kept.id]
        assert uow.search.dense([document.id], vectors((1.0, 0.0)), limit=5) == []


def test_a_question_with_many_terms_is_bounded(uow: UnitOfWork) -> None:
    document = stored(uow)
    with uow:
        uow.search.replace(index(document, ("revenu",), ("margin",)))
        uow.commit()
    terms = [f"t{i}" for i in range(500)] + ["margin"]
    with uow:
        assert uow.search.lexical([document.id], terms, limit=5) == []  # only the first 64 distinct terms are looked up
        assert [h.ordinal for h in uow.search.lexical([document.id], ["margin", *terms], limit=5)] == [1]


def test_documents_of_other_kinds_and_languages_index_alike(uow: UnitOfWork) -> None:
    document = stored(uow)
    with uow:
        uow.search.replace(index(document, ("штраф", "контракт"), ("цен",), language="ru"))
        uow.commit()
    with uow:
        assert [h.ordinal for h in uow.search.lexical([document.id], ["штраф"], limit=5)] == [0]
        assert uow.search.states([document.id])[document.id].language == "ru"


def test_a_term_ending_in_a_star_is_a_prefix(uow: UnitOfWork) -> None:
    document = stored(uow)
    with uow:
        uow.search.replace(index(document, ("увеличен", "объ"), ("увелич",), ("уменьш",), language="ru"))
        uow.commit()
    with uow:
        assert {h.ordinal for h in uow.search.lexical([document.id], ["увелич*"], limit=5)} == {0, 1}
        assert [h.ordinal for h in uow.search.lexical([document.id], ["увелич"], limit=5)] == [1]


def test_hybrid_finds_what_the_two_lookups_find_one_after_the_other(uow: UnitOfWork) -> None:
    document, other = stored(uow), stored(uow)
    with uow:
        uow.search.replace(index(document, *FILING, boilerplate=(2,), embeddings=vectors(
            (1.0, 0.0), (0.6, 0.8), (0.0, 1.0), (0.8, 0.6), (0.28, 0.96))))
        uow.search.replace(index(other, ("revenu", "dividend"), ("quarter",),
                                 embeddings=vectors((0.5, 0.866), (1.0, 0.0))))
        uow.commit()
    ids, terms, query = [document.id, other.id], ["revenu", "quarter", "dividend"], vectors((0.0, 1.0))
    for _ in range(2):  # the first lookup reads the vectors, the second finds them cached
        with uow:
            uow.search.states(ids)  # as a question does first
            together = uow.search.hybrid(ids, terms, query, limit=4)
        with uow:
            apart = (uow.search.lexical(ids, terms, limit=4), uow.search.dense(ids, query, limit=4))
        assert together == apart
    assert [(h.document_id, h.ordinal, h.boilerplate) for h in together[1]] == [
        (document.id, 2, True), (document.id, 4, False), (other.id, 0, False), (document.id, 1, False)]
    assert {h.document_id for h in together[0]} == {document.id, other.id} and len(together[0]) == 4
    with uow:
        assert uow.search.hybrid(ids, terms, None, limit=4) == (uow.search.lexical(ids, terms, limit=4), [])
        assert uow.search.hybrid(ids, [], query, limit=4) == ([], uow.search.dense(ids, query, limit=4))
        assert uow.search.hybrid(ids, terms, query, limit=0) == ([], [])
