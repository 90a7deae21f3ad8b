"""domain.chunking against its previous, straightforward implementation (kept here as the
reference): the same chunks, offsets, locators, spans and token counts, on hypothesis-generated
segments and on the corpus PDFs' extracted segments, for several policies."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.chunking import ChunkingPolicy, _spans_between, chunk_segments, join_segments  # spans: unchanged
from domain.chunks import Segment
from domain.locators import Locator
from domain.text import TOKEN_RE
from tests.corpus import corpus_path
from tests.unit.test_chunking import policies, segment_lists

DOC = uuid.UUID(int=11)
_SENTENCE_END = {".", "!", "?", "。", "！", "？", ";", ":"}


# --- the reference: domain.chunking as it was before the one-pass token scan --------------------

def _reference(segments: Sequence[Segment], policy: ChunkingPolicy) -> tuple[str, list[tuple]]:
    text, spans = join_segments(segments)
    tokens = [(m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
    strength = _break_strengths(text, tokens, [s[1] for s in spans])
    segment_first = _segment_first_tokens(strength)
    chunks = []
    i, j, n = 0, 0, len(tokens)
    while i < n:
        j = _chunk_end(i, n, strength, policy.budget, after=j)
        start, end = tokens[i][0], tokens[j - 1][1]
        located = _spans_between(spans, start, end)
        chunks.append((len(chunks), text[start:end], tuple(loc for loc, _ in located),
                       tuple(span for _, span in located), start, end, j - i))
        if j >= n:
            break
        i = j if strength[j - 1] == 3 else max(j - policy.overlap, i + 1, segment_first[j - 1])
    return text, chunks


def _break_strengths(text: str, tokens: list[tuple[int, int]], segment_ends: list[int]) -> list[int]:
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
    firsts: list[int] = []
    first = 0
    for k in range(len(strength)):
        firsts.append(first)
        if strength[k] == 3:
            first = k + 1
    return firsts


def _chunk_end(i: int, n: int, strength: list[int], budget: int, after: int = 0) -> int:
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




# --- the comparison ------------------------------------------------------------------------------

def _assert_same(segments: Sequence[Segment], policy: ChunkingPolicy) -> None:
    result = chunk_segments(DOC, segments, policy)
    text, expected = _reference(segments, policy)
    assert result.text == text
    got = [(c.ordinal, c.text, c.locators, c.spans, c.start, c.end, c.token_count) for c in result.chunks]
    assert got == expected
    assert all(c.document_id == DOC for c in result.chunks)


_TRICKY = st.sampled_from([".", ":", "。", "！", "?", " ", "\n", "\n\n", "\u2028", "\x85", "\xa0", "\u3000", "a",
                           "word", "x" * 13, "1.5", "-\n", "\t\n", " .\n"])


@st.composite
def tricky_segments(draw: st.DrawFn) -> list[Segment]:
    texts = draw(st.lists(st.lists(_TRICKY, max_size=30).map("".join), max_size=6))
    return [Segment(text=t, locator=Locator(page=i + 1)) for i, t in enumerate(texts)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(segments=segment_lists(), policy=policies())
def test_same_chunks_as_the_reference(segments: list[Segment], policy: ChunkingPolicy) -> None:
    _assert_same(segments, policy)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(segments=tricky_segments(), policy=policies())
def test_same_chunks_on_separators_and_sentence_ends(segments: list[Segment], policy: ChunkingPolicy) -> None:
    _assert_same(segments, policy)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300), policy=policies())
def test_same_chunks_on_arbitrary_text(text: str, policy: ChunkingPolicy) -> None:
    _assert_same([Segment(text=text, locator=Locator(page=1)), Segment(text=text[::-1], locator=Locator(page=2))],
                 policy)


_PDFS = ["pdf/sec-10q/2023-Q2-AAPL.pdf", "pdf/sec-10q/2023-Q3-NVDA.pdf", "pdf/text/GeoTopo-komprimiert.pdf",
         "pdf/tables/nics-background-checks-2015-11.pdf"]


@pytest.fixture(scope="module")
def corpus_segments() -> dict[str, list[Segment]]:
    from adapters.extractors.pdf import PdfExtractor
    from domain.documents import DocumentKind

    found = {}
    for name in _PDFS:
        try:
            path = corpus_path(name)
        except pytest.skip.Exception:
            continue
        found[name] = PdfExtractor().extract(path.read_bytes(), kind=DocumentKind.PDF).segments
    if not found:
        pytest.skip("no corpus PDFs available")
    return found


@pytest.mark.parametrize("policy", [ChunkingPolicy(), ChunkingPolicy(budget=50, overlap=10),
                                    ChunkingPolicy(budget=7, overlap=6), ChunkingPolicy(budget=1, overlap=0),
                                    ChunkingPolicy(budget=512, overlap=0)])
def test_same_chunks_on_corpus_pdfs(corpus_segments: dict[str, list[Segment]], policy: ChunkingPolicy) -> None:
    for segments in corpus_segments.values():
        _assert_same(segments, policy)
