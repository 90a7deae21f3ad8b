"""Token-budgeted chunking with overlap. Pure: the same segments always give the same chunks.

Segments are normalised and joined with blank lines into the document text; chunks are slices
of that text that hold at most ``budget`` tokens, prefer to end at a segment, paragraph or
sentence boundary, and repeat the last ``overlap`` tokens of the previous chunk (except across a
segment boundary, so a page's chunk does not borrow from the page before). Every chunk keeps
the locators of the segments it overlaps.
"""

from __future__ import annotations

import re
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate, repeat
from operator import itemgetter

import attrs

from domain.chunks import Chunk, Segment
from domain.locators import Locator
from domain.text import TOKEN_RE, normalise

SEPARATOR = "\n\n"
_SENTENCE_END = {".", "!", "?", "。", "！", "？", ";", ":"}
_SENTENCE_END_RE = re.compile("|".join(map(re.escape, sorted(_SENTENCE_END))))
_PIECE_RE = re.compile(rf"(?:{TOKEN_RE.pattern})\s*")  # a token and the whitespace after it
_LINE_BREAK_RE = re.compile(r"\n\s*")  # from the first line break of a whitespace run to its end


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
    tokens = _Tokens(text, [s[1] for s in spans])
    strength, n = tokens.strength, tokens.count
    chunks: list[Chunk] = []
    i, j = 0, 0
    while i < n:
        j = _chunk_end(i, n, strength, policy.budget, after=j)
        start, end = tokens.start(i), tokens.end(j - 1)
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
        i = j if strength[j - 1] == 3 else max(j - policy.overlap, i + 1, tokens.segment_first(j - 1))
    return ChunkedText(text=text, chunks=chunks)


class _Tokens:
    """The text's tokens (``TOKEN_RE``) and how good a chunk end after each one is: 3 segment end,
    2 blank line after it, 1 line end after it or a sentence-ending token, else 0 (nothing
    follows the last token). Built in C-level passes: one ``findall`` of token-plus-following-space
    pieces gives every token's start by accumulated lengths, and only the few tokens that end a
    segment, precede a line break or end a sentence are looked up (bisection) and marked."""

    def __init__(self, text: str, segment_ends: list[int]) -> None:
        self._text = text
        first = TOKEN_RE.search(text)
        offset = first.start() if first else 0
        pieces = _PIECE_RE.findall(text, offset)
        self.count = n = len(pieces)
        self._starts = starts = list(accumulate(map(len, pieces), initial=offset))  # starts[n]: past the end
        self.strength = strength = [0] * n
        sentence_ends = [m.start() for m in _SENTENCE_END_RE.finditer(text)]
        for k in map(bisect_left, repeat(starts), sentence_ends):
            strength[k] = 1  # a one-character token starts there
        breaks = [m.span() for m in _LINE_BREAK_RE.finditer(text, offset)]
        for k, (start, end) in zip(map(bisect_left, repeat(starts), map(itemgetter(0), breaks)), breaks):
            if 0 < k < n:  # the break follows token k - 1, which is not the last
                strength[k - 1] = 2 if "\n\n" in text[start:end] else 1
        self._segment_last: list[int] = []
        for end in segment_ends:
            k = bisect_left(starts, end) - 1  # the token starting before ``end``
            if 0 <= k < n and self.end(k) == end:
                strength[k] = 3
                self._segment_last.append(k)
        self._segment_last.sort()

    def start(self, k: int) -> int:
        return self._starts[k]

    def end(self, k: int) -> int:
        match = TOKEN_RE.match(self._text, self._starts[k])  # every piece starts with its token
        return match.end() if match else self._starts[k]

    def segment_first(self, k: int) -> int:
        """The index of the first token of token ``k``'s segment."""
        before = bisect_left(self._segment_last, k)
        return self._segment_last[before - 1] + 1 if before else 0


def _chunk_end(i: int, n: int, strength: list[int], budget: int, after: int = 0) -> int:
    """Exclusive end token of the chunk starting at ``i``: the strongest, latest break in its back half.

    The end is past ``after`` (the previous chunk's end), so every chunk brings new tokens even
    when a large overlap moves its start back."""
    limit = min(i + budget, n)
    if limit == n:
        return n
    low = max(i + max(1, budget // 2), after)
    if low >= limit:
        return limit
    window = strength[low:limit]  # the strengths of ends k in (low, limit], after token k - 1
    best = max(window)
    if best == 0:
        return limit
    return limit - window[::-1].index(best)


def _spans_between(
    spans: list[tuple[int, int, Locator]], start: int, end: int
) -> list[tuple[Locator, tuple[int, int]]]:
    """The segments overlapping [start, end), each with its span clipped to that range."""
    first = bisect_right([s[1] for s in spans], start)
    found: list[tuple[Locator, tuple[int, int]]] = []
    for span_start, span_end, locator in spans[first:]:
        if span_start >= end:
            break
        if span_end > start:
            found.append((locator, (max(span_start, start), min(span_end, end))))
    return found
