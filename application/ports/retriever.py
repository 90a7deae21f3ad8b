"""Retrieval: rank a document's chunks against a question."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import attrs

from domain.chunks import Chunk


@attrs.frozen
class ScoredChunk:
    chunk: Chunk
    score: float


class Retriever(Protocol):
    def rank(self, question: str, chunks: Sequence[Chunk], *, limit: int) -> list[ScoredChunk]:
        """The best ``limit`` chunks, best first; chunks with no match are left out."""
        ...
