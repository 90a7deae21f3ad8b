"""Filling the context budget: the best passages first, as many as fit."""

from __future__ import annotations

from collections.abc import Sequence

from domain.chunks import Chunk


def assemble(ranked: Sequence[Chunk], budget: int) -> list[Chunk]:
    """The chunks in rank order while they fit ``budget`` tokens (one that does not fit is skipped
    and smaller ones after it still taken); at least the best one."""
    chosen: list[Chunk] = []
    used = 0
    for chunk in ranked:
        if used + chunk.token_count <= budget or not chosen:
            chosen.append(chunk)
            used += chunk.token_count
        if used >= budget:
            break
    return chosen


def within_budget(chunks: Sequence[Chunk], budget: int) -> list[Chunk]:
    """The chunks in order until one does not fit (at least one): a document's start, the
    truncation baseline."""
    chosen, used = [], 0
    for chunk in chunks:
        if used + chunk.token_count > budget and chosen:
            break
        chosen.append(chunk)
        used += chunk.token_count
    return chosen
