"""Fakes the unit tests need beyond tests/fakes.py: a rate limiter and a retriever.

The real in-memory adapters (``adapters.ratelimit.memory.MemoryRateLimiter`` and
``adapters.retrieval.bm25.BM25Retriever``) are preferred when they import; these small
stand-ins follow the same port semantics (application/ports/rate_limiter.py, retriever.py)
so the use-case tests do not depend on another package being finished.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from application.ports.clock import Clock
from application.ports.rate_limiter import RateDecision, WindowUsage
from application.ports.retriever import ScoredChunk
from domain.chunks import Chunk
from domain.text import terms
from domain.tiers import Window, window_reset, window_start


class LocalMemoryRateLimiter:
    """Fixed windows aligned like domain.tiers.window_start; all-or-nothing counting."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.counts: Counter[tuple[str, Window, object]] = Counter()

    def _usage(self, key: str, limits: Mapping[Window, int]) -> tuple[WindowUsage, ...]:
        now = self.clock.now()
        return tuple(
            WindowUsage(window=w, limit=limit, used=self.counts[(key, w, window_start(now, w))],
                        reset_at=window_reset(now, w))
            for w, limit in limits.items()
        )

    def hit(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        usage = self._usage(key, limits)
        if any(u.used >= u.limit for u in usage):
            return RateDecision(allowed=False, windows=usage)
        now = self.clock.now()
        for w in limits:
            self.counts[(key, w, window_start(now, w))] += 1
        return RateDecision(allowed=True, windows=self._usage(key, limits))

    def peek(self, key: str, limits: Mapping[Window, int]) -> RateDecision:
        usage = self._usage(key, limits)
        return RateDecision(allowed=all(u.used < u.limit for u in usage), windows=usage)


class LocalTermRetriever:
    """Ranks chunks by how many question terms they contain; no match, no result."""

    def rank(self, question: str, chunks: Sequence[Chunk], *, limit: int) -> list[ScoredChunk]:
        wanted = set(terms(question))
        scored = [ScoredChunk(c, float(sum(1 for t in terms(c.text) if t in wanted))) for c in chunks]
        scored = [s for s in scored if s.score > 0]
        scored.sort(key=lambda s: (-s.score, s.chunk.ordinal))
        return scored[:limit]


def make_rate_limiter(clock: Clock):  # noqa: ANN201 - a RateLimiter
    try:
        from adapters.ratelimit.memory import MemoryRateLimiter
    except ImportError:
        return LocalMemoryRateLimiter(clock)
    return MemoryRateLimiter(clock)


def make_retriever():  # noqa: ANN201 - a Retriever
    try:
        from adapters.retrieval.bm25 import BM25Retriever
    except ImportError:
        return LocalTermRetriever()
    return BM25Retriever()
