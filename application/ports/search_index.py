"""The search index: a document's chunks indexed once, when the document is processed, and
looked up by a question inside the database, scoped to the documents the question is about.

Two lookups, fused by the caller: ``lexical`` ranks chunks by BM25 over analysed terms
(application.ports.text_analyzer), ``dense`` by the cosine of their embeddings with the
question's (when the document was indexed with vectors of the same model). Hits name chunks by
(document id, ordinal); the caller loads the few chunks it keeps."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

import attrs

from application.ports.embedder import Embeddings


@attrs.frozen(kw_only=True)
class IndexedChunk:
    """A chunk's analysed terms (in order, repeated as they occur) and whether it is boilerplate
    (a cover page, a table of contents, signatures, certifications: demoted, not hidden)."""

    ordinal: int
    terms: tuple[str, ...]
    boilerplate: bool = False


@attrs.frozen(kw_only=True)
class DocumentIndex:
    """Everything the index keeps of one document. ``vectors``: one row per chunk, in ``chunks``
    order, or None (indexed without an embedding model)."""

    document_id: uuid.UUID
    language: str
    analyzer: str
    chunks: tuple[IndexedChunk, ...]
    tokens: int  # the document's size: its chunks' token counts summed
    vectors: Embeddings | None = None


@attrs.frozen(kw_only=True)
class IndexState:
    """What the index holds of a document: its language, the analyzer and embedding model it was
    built with (None: no vectors)."""

    document_id: uuid.UUID
    language: str
    analyzer: str
    model: str | None
    tokens: int


@attrs.frozen(kw_only=True)
class SearchHit:
    document_id: uuid.UUID
    ordinal: int
    score: float  # higher is better; comparable within one lookup only
    boilerplate: bool = False


class SearchIndex(Protocol):
    def replace(self, index: DocumentIndex) -> None:
        """Index a document, replacing what was indexed of it before."""
        ...

    def states(self, document_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, IndexState]:
        """The documents among ``document_ids`` that are indexed, with what they were indexed by."""
        ...

    def lexical(self, document_ids: Sequence[uuid.UUID], terms: Sequence[str], *, limit: int) -> list[SearchHit]:
        """Chunks of these documents holding any of ``terms``, best BM25 first (ties in document
        order); at most ``limit``. A term ending in ``*`` matches every term it begins
        ("увелич*": "увеличен", "увеличива")."""
        ...

    def dense(self, document_ids: Sequence[uuid.UUID], query: Embeddings, *, limit: int) -> list[SearchHit]:
        """Chunks of these documents nearest to the one-row ``query``, nearest first, among the
        documents indexed with ``query.model``; at most ``limit``."""
        ...

    def hybrid(self, document_ids: Sequence[uuid.UUID], terms: Sequence[str], query: Embeddings | None, *,
               limit: int) -> tuple[list[SearchHit], list[SearchHit]]:
        """``(lexical(...), dense(...))`` in one call (dense ``[]`` when ``query`` is None): the same
        hits, which an adapter may find concurrently (PostgreSQL ranks the terms on the server while
        the process scores the vectors)."""
        ...

    def delete(self, document_id: uuid.UUID) -> None:
        """Forget a document (its rows also go when the document is deleted)."""
        ...
