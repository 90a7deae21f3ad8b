"""Index a document's chunks for search: terms (stemmed for the document's language), the
boilerplate flag, and dense vectors when an embedding model is configured.

``DocumentIndexer.build`` is the computation (no database), done by ProcessDocument before its
completing transaction; ``IndexDocument`` indexes a stored document from its stored chunks (a
document processed before the index existed, or whose index rows are missing)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import attrs
import structlog

from application.ports.clock import Clock
from application.ports.embedder import Embedder, Embeddings
from application.ports.search_index import DocumentIndex, IndexedChunk, IndexState
from application.ports.text_analyzer import TextAnalyzer
from application.ports.unit_of_work import UnitOfWork
from domain.boilerplate import is_boilerplate
from domain.chunks import Chunk
from domain.documents import DocumentStatus

log = structlog.get_logger(__name__)

LANGUAGE_SAMPLE = 20_000  # characters of the document its language is told from
MAX_TERM_CHARS = 64  # longer "words" (hashes, base64) are not terms anyone searches for


@attrs.define
class DocumentIndexer:
    analyzer: TextAnalyzer
    embedder: Embedder | None = None

    @property
    def model(self) -> str | None:
        return self.embedder.name if self.embedder is not None else None

    def build(self, document_id: uuid.UUID, chunks: Sequence[Chunk]) -> DocumentIndex:
        sample, size = [], 0
        for chunk in chunks:
            if size >= LANGUAGE_SAMPLE:
                break
            sample.append(chunk.text)
            size += len(chunk.text)
        language = self.analyzer.language("\n".join(sample))
        entries = tuple(
            IndexedChunk(ordinal=chunk.ordinal,
                         terms=tuple(t for t in self.analyzer.terms(chunk.text, language) if len(t) <= MAX_TERM_CHARS),
                         boilerplate=is_boilerplate(chunk.text))
            for chunk in chunks)
        return DocumentIndex(document_id=document_id, language=language, analyzer=self.analyzer.name,
                             chunks=entries, tokens=sum(c.token_count for c in chunks),
                             vectors=self._vectors(document_id, chunks))

    def current(self, state: IndexState | None) -> bool:
        """Whether ``state`` was built by this analyzer and embedding model."""
        return state is not None and state.analyzer == self.analyzer.name and state.model == self.model

    def _vectors(self, document_id: uuid.UUID, chunks: Sequence[Chunk]) -> Embeddings | None:
        if self.embedder is None or not chunks:
            return None
        try:
            return self.embedder.embed([chunk.text for chunk in chunks])
        except Exception:  # the lexical index serves alone; indexing goes on
            log.warning("embedding_failed", document_id=str(document_id), exc_info=True)
            return None


@attrs.define
class IndexDocument:
    """Index one completed document from its stored chunks; True when it was (re)indexed."""

    uow: UnitOfWork
    indexer: DocumentIndexer

    def __call__(self, document_id: uuid.UUID, *, force: bool = False) -> bool:
        with self.uow as uow:
            document = uow.documents.get(document_id)
            if document is None or document.status is not DocumentStatus.COMPLETED:
                return False
            if not force and self.indexer.current(uow.search.states([document_id]).get(document_id)):
                return False
            chunks = uow.chunks.list_for_document(document_id)
        index = self.indexer.build(document_id, chunks)  # outside the transaction: CPU only
        with self.uow as uow:
            if uow.documents.get(document_id) is None:
                return False  # deleted meanwhile
            uow.search.replace(index)
            uow.commit()
        log.info("document_indexed", document_id=str(document_id), chunks=len(chunks),
                 vectors=index.vectors is not None)
        return True


@attrs.define
class ReindexDocuments:
    """``assistant reindex``: index every completed document that is not indexed by the current
    analyzer and model (``everything``: all of them again). Returns (indexed, examined)."""

    uow: UnitOfWork
    index_document: IndexDocument
    clock: Clock

    def __call__(self, *, everything: bool = False) -> tuple[int, int]:
        with self.uow as uow:
            ids = [d.id for d in uow.documents.list_by_status([DocumentStatus.COMPLETED],
                                                              updated_before=self.clock.now())]
        done = sum(self.index_document(document_id, force=everything) for document_id in ids)
        return done, len(ids)
