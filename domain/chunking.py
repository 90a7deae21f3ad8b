"""Token-budgeted chunking with overlap. Pure: the same segments always give the same chunks.

Segments are normalised and joined with blank lines into the document text; chunks are slices
of that text that hold at most ``budget`` tokens, prefer to end at a segment, paragraph or
sentence boundary, and repeat the last ``overlap`` tokens of the previous chunk (except across a
segment boundary, so a page's chunk does not borrow from the page before). Every chunk keeps
the locators of the segments it overlaps.
"""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Sequence

import attrs

from domain.chunks import Chunk, Segment
from domain.locators import Locator
from domain.text import TOKEN_RE, normalise

SEPARATOR = "\n\n"
_SENTENCE_END = {".", "!", "?", "。", "！", "？", ";", ":"}


@attrs.frozen
class ChunkingPolicy:
    budget: int = 300
    overlap: int = 40

    def __attrs_post_init__(self) -> None:
        if self.budget < 1 or not 0 <= self.overlap < self.budget:
            raise ValueError("chunking needs budget >= 1 and 0 <= overlap < budget")


@attrs.frozen
class ChunkedText:
    text: str
    chunks: list[Chunk]


def join_segments(segments: Sequence[Segment]) -> tuple[str, list[tuple[int, int, Locator]]]:
    """Normalise and join segments; return the text and each kept segment's span and locator."""
    parts: list[str] = []
    spans: list[tuple[int, int, Locator]] = []
    pos = 0
    for segment in segments:
        text = normalise(segment.text)
        if not text:
            continue
        if parts:
            pos += len(SEPARATOR)
        spans.append((pos, pos + len(text), segment.locator))
        parts.append(text)
        pos += len(text)
    return SEPARATOR.join(parts), spans


def chunk_segments(
    document_id: uuid.UUID, segments: Sequence[Segment], policy: ChunkingPolicy = ChunkingPolicy()
) -> ChunkedText:
    text, spans = join_segments(segments)
    tokens = [(m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
    strength = _break_strengths(text, tokens, [s[1] for s in spans])
    segment_first = _segment_first_tokens(strength)
    chunks: list[Chunk] = []
    i, j, n = 0, 0, len(tokens)
    while i < n:
        j = _chunk_end(i, n, strength, policy.budget, after=j)
        start, end = tokens[i][0], tokens[j - 1][1]
        located = _spans_between(spans, start, end)
        chunks.append(
            Chunk(
                document_id=document_id,
                ordinal=len(chunks),
                text=text[start:end],
                locators=tuple(loc for loc, _ in located),
                spans=tuple(span for _, span in located),
                start=start,
                end=end,
                token_count=j - i,
            )
        )
        if j >= n:
            break
        # the overlap stays inside the segment the chunk ends in
        i = j if strength[j - 1] == 3 else max(j - policy.overlap, i + 1, segment_first[j - 1])
    return ChunkedText(text=text, chunks=chunks)


def _break_strengths(text: str, tokens: list[tuple[int, int]], segment_ends: list[int]) -> list[int]:
    """How good a chunk end after each token is: 3 segment end, 2 blank line, 1 sentence or line end."""
    ends = set(segment_ends)
    strengths: list[int] = []
    for k, (start, end) in enumerate(tokens):
        gap = text[end : tokens[k + 1][0]] if k + 1 < len(tokens) else ""
        if end in ends:
            strengths.append(3)
        elif "\n\n" in gap:
            strengths.append(2)
        elif "\n" in gap or text[start:end] in _SENTENCE_END:
            strengths.append(1)
        else:
            strengths.append(0)
    return strengths


def _segment_first_tokens(strength: list[int]) -> list[int]:
    """For each token, the index of the first token of its segment."""
    firsts: list[int] = []
    first = 0
    for k in range(len(strength)):
        firsts.append(first)
        if strength[k] == 3:
            first = k + 1
    return firsts


def _chunk_end(i: int, n: int, strength: list[int], budget: int, after: int = 0) -> int:
    """Exclusive end token of the chunk starting at ``i``: the strongest, latest break in its back half.

    The end is past ``after`` (the previous chunk's end), so every chunk brings new tokens even
    when a large overlap moves its start back."""
    limit = min(i + budget, n)
    if limit == n:
        return n
    best, best_strength = limit, 0
    for k in range(limit, max(i + max(1, budget // 2), after), -1):
        if strength[k - 1] > best_strength:
            best, best_strength = k, strength[k - 1]
            if best_strength == 3:
                break
    return best


def _spans_between(
    spans: list[tuple[int, int, Locator]], start: int, end: int
) -> list[tuple[Locator, tuple[int, int]]]:
    """The segments overlapping [start, end), each with its span clipped to that range."""
    first = bisect.bisect_right([s[1] for s in spans], start)
    found: list[tuple[Locator, tuple[int, int]]] = []
    for span_start, span_end, locator in spans[first:]:
        if span_start >= end:
            break
        if span_end > start:
            found.append((locator, (max(span_start, start), min(span_end, end))))
    return found
