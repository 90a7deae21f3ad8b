"""Okapi BM25 through bm25s (a maintained, numpy-backed implementation), over the chunks it is given.

Tokens are domain.text.terms (case-folded ``\\w+`` runs, so any language that separates words
ranks) without one-letter terms and a few English/Russian function words, each cut to its first
``stem`` characters: a language-agnostic stand-in for stemming ("revenues"/"revenue",
"выручки"/"выручка"). The index of a set of chunks is built once and kept in a small LRU keyed
by the chunks' ids, so a follow-up question on the same document does not rebuild it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import bm25s
import numpy as np

from application.ports.retriever import ScoredChunk
from domain.chunks import Chunk
from domain.text import terms

_STOPWORDS = frozenset(
    "the and for are was were is be been of to in on at by an or as it its this that these those with from "
    "what which who whom whose when where why how does did do has have had can could would should will "
    "это как что кто где когда почему какой какая какие для при или не ни да но же ли бы по из за от до на".split()
)


class BM25Retriever:
    """Implements application.ports.retriever.Retriever."""

    def __init__(self, k1: float = 1.5, b: float = 0.75, *, stem: int = 6, cached_indexes: int = 32) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError("BM25 needs k1 >= 0 and 0 <= b <= 1")
        self.k1, self.b, self.stem = k1, b, stem
        self._indexes: OrderedDict[int, bm25s.BM25] = OrderedDict()
        self._capacity = cached_indexes
        self._lock = threading.Lock()

    def tokens(self, text: str) -> list[str]:
        return [t[: self.stem] for t in terms(text) if len(t) > 1 and t not in _STOPWORDS]

    def rank(self, question: str, chunks: Sequence[Chunk], *, limit: int) -> list[ScoredChunk]:
        """The best ``limit`` chunks with a score above zero, best first, ties by document order."""
        if limit <= 0 or not chunks:
            return []
        index = self._index(chunks)
        query = [t for t in dict.fromkeys(self.tokens(question)) if t in index.vocab_dict]
        if not query:
            return []
        scores = index.get_scores(query)
        order = sorted((i for i in np.flatnonzero(scores > 0)), key=lambda i: (-float(scores[i]), i))
        return [ScoredChunk(chunk=chunks[i], score=float(scores[i])) for i in order[:limit]]

    def _index(self, chunks: Sequence[Chunk]) -> bm25s.BM25:
        key = hash(tuple(c.id for c in chunks))
        with self._lock:
            if key in self._indexes:
                self._indexes.move_to_end(key)
                return self._indexes[key]
        index = bm25s.BM25(k1=self.k1, b=self.b)
        index.index([self.tokens(c.text) or [""] for c in chunks], show_progress=False)
        with self._lock:
            self._indexes[key] = index
            while len(self._indexes) > self._capacity:
                self._indexes.popitem(last=False)
        return index
