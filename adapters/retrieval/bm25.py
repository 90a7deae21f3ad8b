"""Okapi BM25 over the chunks it is given, in pure Python (no index kept between calls).

Terms are domain.text.terms (case-folded ``\\w+`` runs), so any language that separates words
ranks. IDF is the non-negative form ``ln(1 + (N - df + 0.5) / (df + 0.5))``; each distinct
question term counts once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from application.ports.retriever import ScoredChunk
from domain.chunks import Chunk
from domain.text import terms


class BM25Retriever:
    """Implements application.ports.retriever.Retriever."""

    def __init__(self, k1: float = 1.5, b: float = 0.75) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError("BM25 needs k1 >= 0 and 0 <= b <= 1")
        self.k1, self.b = k1, b

    def rank(self, question: str, chunks: Sequence[Chunk], *, limit: int) -> list[ScoredChunk]:
        """The best ``limit`` chunks with a score above zero, best first, ties by ordinal."""
        query = set(terms(question))
        if limit <= 0 or not query or not chunks:
            return []
        counts = [Counter(terms(chunk.text)) for chunk in chunks]
        lengths = [sum(c.values()) for c in counts]
        average = sum(lengths) / len(lengths) or 1.0
        n = len(chunks)
        idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5))
               for t in query if (df := sum(1 for c in counts if t in c))}
        scored = []
        for chunk, tf, length in zip(chunks, counts, lengths):
            norm = self.k1 * (1 - self.b + self.b * length / average)
            score = sum(weight * tf[t] * (self.k1 + 1) / (tf[t] + norm) for t, weight in idf.items() if t in tf)
            if score > 0:
                scored.append(ScoredChunk(chunk=chunk, score=score))
        scored.sort(key=lambda s: (-s.score, s.chunk.ordinal))
        return scored[:limit]
