"""The passages a question is answered from, found in the search index.

1. The documents' index states: an unindexed document (processed before the index existed, or
   whose rows are missing) has its chunks loaded and ranked in memory by the Retriever, as before
   the index; the caller has it indexed.
2. When all the documents together fit the budget, all their chunks are the context.
3. Otherwise two lookups inside the database, scoped to these documents: ``lexical`` (BM25 over
   the question's terms, analysed for each language among the documents) and ``dense`` (the
   question's embedding, when there is a model), asked together (``hybrid``: an adapter may
   overlap them); fused by reciprocal rank.
4. The best ``candidates`` fused are loaded (only those chunks) and re-ranked
   (application.retrieval.rerank), then the budget is filled (application.retrieval.context)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

import attrs
import structlog

from application.concepts import concepts, expanded_terms
from application.ports.embedder import Embedder
from application.ports.retriever import Retriever
from application.ports.search_index import IndexState
from application.ports.text_analyzer import TextAnalyzer
from application.ports.unit_of_work import UnitOfWork
from application.retrieval.context import assemble, within_budget
from application.retrieval.rerank import Candidate, Ranked, rerank
from domain.chunks import Chunk
from domain.questions import content, profile

log = structlog.get_logger(__name__)

RRF_K = 60  # reciprocal rank fusion: 1 / (RRF_K + rank)
MAX_QUESTION_TERMS = 64
FIRST_CHUNKS = 16
PREFIX_CHARS = 5
_NUMBERED = re.compile(r"(?:№|#|\bno\.)\s*(\d)\b", re.IGNORECASE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")  # read when nothing matches: the start of each document


@attrs.frozen
class Found:
    """``ranked``: the context's chunks with their scores, best first; ``unindexed``: documents
    answered without their index (to be indexed)."""

    ranked: tuple[Ranked, ...]
    unindexed: tuple[uuid.UUID, ...] = ()

    @property
    def chunks(self) -> list[Chunk]:
        return [r.chunk for r in self.ranked]


@attrs.define
class PassageFinder:
    analyzer: TextAnalyzer
    fallback: Retriever
    embedder: Embedder | None = None
    lookup: int = 80  # hits asked of each lookup
    candidates: int = 30  # fused hits loaded and re-ranked
    dense_weight: float = 1.0

    def find(self, uow: UnitOfWork, question: str, document_ids: Sequence[uuid.UUID], budget: int) -> Found:
        ids = list(dict.fromkeys(document_ids))
        states = uow.search.states(ids)
        indexed = [d for d in ids if d in states]
        unindexed = tuple(d for d in ids if d not in states)
        legacy = uow.chunks.list_for_documents(list(unindexed)) if unindexed else []
        if unindexed:
            log.info("documents_not_indexed", document_ids=[str(d) for d in unindexed])
        if sum(states[d].tokens for d in indexed) + sum(c.token_count for c in legacy) <= budget:
            every = uow.chunks.list_for_documents(indexed) + legacy if indexed else legacy
            order = {d: i for i, d in enumerate(ids)}
            every.sort(key=lambda c: (order[c.document_id], c.ordinal))
            return Found(tuple(Ranked(chunk=c, score=1.0, line=1.0) for c in every), unindexed)
        languages = sorted({states[d].language for d in indexed} | ({"und"} if legacy else set()))
        terms = self.question_terms(question, languages)
        fused = self._fused(uow, question, terms, indexed, states)
        keys = sorted(fused, key=lambda k: (-fused[k][0], str(k[0]), k[1]))[: self.candidates]
        chunks = uow.chunks.get_many(keys)
        pool = [Candidate(chunk=c, fused=fused[(c.document_id, c.ordinal)][0],
                          boilerplate=fused[(c.document_id, c.ordinal)][1]) for c in chunks]
        if legacy:
            for rank, hit in enumerate(self.fallback.rank(question, legacy, limit=self.candidates)):
                pool.append(Candidate(chunk=hit.chunk, fused=1.0 / (RRF_K + rank + 1)))
        language = languages[0] if len(languages) == 1 else self.analyzer.language(question)

        def analyze(text: str) -> set[str]:
            return set(self.analyzer.terms(text, language))

        ranked = rerank(pool, concepts(content(question), analyze), profile(question), analyze, language)
        if not ranked:  # nothing matched at all: the documents' first chunks, as before the index
            first = legacy or uow.chunks.get_many([(d, o) for d in indexed for o in range(FIRST_CHUNKS)])
            return Found(tuple(Ranked(chunk=c, score=0.0, line=0.0) for c in within_budget(first, budget)), unindexed)
        by_id = {r.chunk.id: r for r in ranked}
        return Found(tuple(by_id[c.id] for c in assemble([r.chunk for r in ranked], budget)), unindexed)

    def question_terms(self, question: str, languages: Sequence[str]) -> list[str]:
        """The question's distinct terms, with the vocabulary's alternatives (application.concepts),
        as each of ``languages`` analyses them; a 4,000-character question is cut to its first
        ``MAX_QUESTION_TERMS``."""
        terms: dict[str, None] = {}
        about = content(question)  # the period is matched by the re-ranking, not as words
        # "1" of "April 1" is in every other chunk, but "№ 2" names a thing
        numbers = " ".join(re.findall(r"\d{2,}", question) + _NUMBERED.findall(question))
        for language in languages or ["und"]:
            found = concepts(about, lambda text, lang=language: set(self.analyzer.terms(text, lang)))
            terms.update(dict.fromkeys(_prefixed(t) for t in expanded_terms(found)))
            terms.update(dict.fromkeys(self.analyzer.terms(numbers, language)))
        return list(terms)[:MAX_QUESTION_TERMS]

    def _fused(self, uow: UnitOfWork, question: str, terms: list[str], indexed: list[uuid.UUID],
               states: dict[uuid.UUID, IndexState]) -> dict[tuple[uuid.UUID, int], tuple[float, bool]]:
        fused: dict[tuple[uuid.UUID, int], tuple[float, bool]] = {}
        if not indexed:
            return fused
        query = None
        if self.embedder is not None and any(states[d].model == self.embedder.name for d in indexed):
            try:
                query = self.embedder.embed([question])
            except Exception:  # the lexical lookup serves alone
                log.warning("question_embedding_failed", exc_info=True)
        lexical, dense = uow.search.hybrid(indexed, terms, query, limit=self.lookup)
        for rank, hit in enumerate(lexical):
            fused[(hit.document_id, hit.ordinal)] = (1.0 / (RRF_K + rank + 1), hit.boilerplate)
        for rank, hit in enumerate(dense):
            key = (hit.document_id, hit.ordinal)
            score, boilerplate = fused.get(key, (0.0, hit.boilerplate))
            fused[key] = (score + self.dense_weight / (RRF_K + rank + 1), boilerplate)
        return fused


def _prefixed(term: str) -> str:
    """A Cyrillic stem of ``PREFIX_CHARS`` letters or more is looked up as a prefix: Russian
    derives words by suffixes the stemmer keeps ("увеличить" -> "увелич", "увеличение" ->
    "увеличен"; "аванс" -> "авансирован")."""
    return f"{term}*" if len(term) >= PREFIX_CHARS and _CYRILLIC.match(term) else term
