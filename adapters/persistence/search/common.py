"""What both databases' search indexes share: writing a document's rows, its state, its vectors."""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select

from adapters.persistence.repositories.base import SqlAlchemyRepository
from adapters.persistence.search.vectors import in_ordinal_order, nearest
from adapters.persistence.tables import search_chunks, search_documents
from application.ports.embedder import Embeddings
from application.ports.search_index import DocumentIndex, IndexState, SearchHit

MAX_TERMS = 64  # a question's distinct terms looked up (a 4,000-character question costs no more)
COMMON_SHARE = 0.15  # a term in more than this share of the index's chunks is left out of a lookup ...
KEEP_TERMS = 2  # ... while at least this many rarer ones remain
LOOKUP_TERMS = 8  # the rarest terms looked up; the re-ranking counts the others

_STATES = (select(search_documents.c.document_id, search_documents.c.language, search_documents.c.analyzer,
                  search_documents.c.model, search_documents.c.tokens, search_documents.c.version)
           .where(search_documents.c.document_id.in_(bindparam("ids", expanding=True))))
_VECTORS = (select(search_documents.c.document_id, search_documents.c.vectors, search_documents.c.dim)
            .where(search_documents.c.document_id.in_(bindparam("ids", expanding=True))))
_BOILERPLATE = (select(search_chunks.c.document_id, search_chunks.c.ordinal)
                .where(search_chunks.c.document_id.in_(bindparam("ids", expanding=True)), search_chunks.c.boilerplate))


class SearchIndexBase(SqlAlchemyRepository):
    """``_terms_value`` turns a chunk's terms into the column's value (text, or a tsvector literal
    bound as ``terms_key``)."""

    terms_key = "terms"
    _last_states: tuple[weakref.ref[Any], tuple[uuid.UUID, ...], list[Any]] | None = None

    def replace(self, index: DocumentIndex) -> None:
        conn = self._conn
        self._last_states = None
        self.delete(index.document_id)
        vectors = in_ordinal_order(index.vectors, [c.ordinal for c in index.chunks]) if index.vectors else None
        conn.execute(insert(search_documents), {
            "document_id": index.document_id, "language": index.language, "analyzer": index.analyzer,
            "model": vectors.model if vectors else None, "dim": vectors.dim if vectors else None,
            "vectors": vectors.data if vectors else None, "chunk_count": len(index.chunks), "tokens": index.tokens,
            "version": uuid.uuid4(),
        })
        if index.chunks:
            conn.execute(self._insert_chunks(), [
                {"document_id": index.document_id, "ordinal": c.ordinal, self.terms_key: self._terms_value(c.terms),
                 "length": len(c.terms), "boilerplate": c.boilerplate} for c in index.chunks])

    def delete(self, document_id: uuid.UUID) -> None:
        self._last_states = None
        self._conn.execute(delete(search_documents).where(search_documents.c.document_id == document_id))

    def states(self, document_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, IndexState]:
        if not document_ids:
            return {}
        rows = self._state_rows(document_ids, fresh=True)
        return {row.document_id: IndexState(document_id=row.document_id, language=row.language,
                                            analyzer=row.analyzer, model=row.model, tokens=row.tokens)
                for row in rows}

    def dense(self, document_ids: Sequence[uuid.UUID], query: Embeddings, *, limit: int) -> list[SearchHit]:
        if not document_ids or limit <= 0:
            return []
        return nearest(self._dense_documents(document_ids, query), self._load, query, limit)

    def hybrid(self, document_ids: Sequence[uuid.UUID], terms: Sequence[str], query: Embeddings | None, *,
               limit: int) -> tuple[list[SearchHit], list[SearchHit]]:
        """One lookup after the other (PostgresSearchIndex overlaps them)."""
        return (self.lexical(document_ids, terms, limit=limit),
                self.dense(document_ids, query, limit=limit) if query is not None else [])

    def _dense_documents(self, document_ids: Sequence[uuid.UUID], query: Embeddings) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """(id, version) of the documents indexed with ``query``'s model, in the order given."""
        rows = self._state_rows(document_ids)
        model = {row.document_id: (row.model, row.version) for row in rows}
        return [(d, model[d][1]) for d in dict.fromkeys(document_ids) if d in model and model[d][0] == query.model]

    def _load(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[bytes, int, frozenset[int]]]:
        """(vectors, dim, boilerplate ordinals) of the documents ``ids`` that have vectors."""
        found = self._vector_rows(ids)
        flagged: dict[uuid.UUID, set[int]] = {}
        for row in self._conn.execute(_BOILERPLATE, {"ids": ids}):
            flagged.setdefault(row.document_id, set()).add(row.ordinal)
        return {document_id: (bytes(vectors), dim, frozenset(flagged.get(document_id, ())))
                for document_id, vectors, dim in found if vectors is not None}

    def _state_rows(self, document_ids: Sequence[uuid.UUID], *, fresh: bool = False) -> list[Any]:
        """The documents' state rows; ``states()`` reads them (``fresh``), the dense lookup that
        follows on the same connection for the same documents reuses them (it needs their versions)."""
        ids = tuple(dict.fromkeys(document_ids))
        conn = self._conn
        last = self._last_states
        if not fresh and last is not None and last[0]() is conn and last[1] == ids:
            return last[2]
        rows = conn.execute(_STATES, {"ids": list(ids)}).all()
        self._last_states = (weakref.ref(conn), ids, rows)  # this unit of work's connection only
        return rows

    def _insert_chunks(self) -> Any:
        return insert(search_chunks)

    def _vector_rows(self, ids: list[uuid.UUID]) -> list[tuple[uuid.UUID, bytes | None, int | None]]:
        """(document id, vectors, dim) of the ids given."""
        return [tuple(row) for row in self._conn.execute(_VECTORS, {"ids": ids})]

    def _terms_value(self, terms: Sequence[str]) -> Any:
        raise NotImplementedError


def query_terms(terms: Sequence[str]) -> list[str]:
    """The distinct terms of a question, first ``MAX_TERMS`` kept."""
    return [t for t in dict.fromkeys(terms) if t][:MAX_TERMS]


def informative(terms: list[str], shares: dict[str, float], absent: frozenset[str] = frozenset()) -> list[str]:
    """``terms`` without those held by more than ``COMMON_SHARE`` of the chunks (``shares``: a
    term's share of the chunks, estimated; ``absent``: terms known to be in no chunk), as long as
    ``KEEP_TERMS`` rarer ones that some chunk holds remain: a term in every other chunk adds little
    to BM25 and most of a lookup's cost (it matches thousands of rows of a library); the
    re-ranking still counts it."""
    present = [t for t in terms if t not in absent]
    if not present:
        return terms
    rare = [t for t in present if shares.get(t, 0.0) <= COMMON_SHARE]
    words = [t for t in rare if not t.rstrip("*").isdigit()]
    if len(words) < KEEP_TERMS:  # filled up with the least common of the other words (a number names no topic)
        common = sorted((t for t in present if t not in rare and not t.isdigit()), key=lambda t: shares.get(t, 0.0))
        rare += common[: KEEP_TERMS - len(words)]
    if not rare:  # only common numbers ("What about 2023?" of the filing of 2023): the least common of them
        rare = sorted(present, key=lambda t: shares.get(t, 0.0))[:KEEP_TERMS]
    rare = sorted(rare, key=lambda t: shares.get(t, 0.0))[:LOOKUP_TERMS]  # stable: the question's order on ties
    return [t for t in present if t in rare]
