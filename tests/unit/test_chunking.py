"""Chunking invariants (hypothesis) and a few readable examples."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.chunking import SEPARATOR, ChunkingPolicy, chunk_segments, join_segments
from domain.chunks import Segment
from domain.locators import Locator
from domain.text import TOKEN_RE, count_tokens, normalise

DOC = uuid.UUID(int=7)

_WORDS = st.one_of(
    st.sampled_from(["the", "Invoice", "total", "42", "3.5%", "EUR", "net-30", "a", "I", "don't", "(see", "below)"]),
    st.sampled_from(["Договор", "оплата", "счёт", "Приложение", "сумма", "ёлка"]),
    st.sampled_from([".", ",", "!", "?", ";", ":", "—", "-", "'", '"', "…", "§", "€", "%"]),
    st.sampled_from(["Donaudampfschifffahrtsgesellschaft", "supercalifragilistic", "антигосударственный",
                     "a" * 25, "x" * 12, "y" * 13]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=6),
)
_GAPS = st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "\n\n", "\n\n\n", "\r\n", " \n ", ""])


@st.composite
def segment_texts(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["", " ", "\n\n", "\t \r\n", "\x00\x01"]))
    words = draw(st.lists(_WORDS, min_size=1, max_size=40))
    gaps = draw(st.lists(_GAPS, min_size=len(words), max_size=len(words)))
    return "".join(w + g for w, g in zip(words, gaps, strict=True))


@st.composite
def segment_lists(draw: st.DrawFn) -> list[Segment]:
    texts = draw(st.lists(segment_texts(), min_size=0, max_size=8))
    kind = draw(st.sampled_from(["page", "paragraph", "sheet"]))

    def locator(i: int) -> Locator:
        if kind == "page":
            return Locator(page=i + 1)
        if kind == "paragraph":
            return Locator(section="Terms", paragraph=i + 1)
        return Locator(sheet="Sheet1", cells=f"A{i + 1}:C{i + 1}")

    return [Segment(text=t, locator=locator(i)) for i, t in enumerate(texts)]


@st.composite
def policies(draw: st.DrawFn) -> ChunkingPolicy:
    budget = draw(st.integers(1, 40))
    overlap = draw(st.integers(0, budget - 1))
    return ChunkingPolicy(budget=budget, overlap=overlap)


def _expected_spans(segments: list[Segment]) -> tuple[str, list[tuple[int, int, Locator]]]:
    """Computed independently of join_segments: normalised non-empty segments, blank-line joined."""
    kept = [(normalise(s.text), s.locator) for s in segments if normalise(s.text)]
    spans, pos = [], 0
    for text, locator in kept:
        spans.append((pos, pos + len(text), locator))
        pos += len(text) + len(SEPARATOR)
    return SEPARATOR.join(t for t, _ in kept), spans


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(segments=segment_lists(), policy=policies())
def test_chunking_invariants(segments: list[Segment], policy: ChunkingPolicy) -> None:
    result = chunk_segments(DOC, segments, policy)
    text, spans = _expected_spans(segments)
    assert result.text == text
    tokens = [(m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
    chunks = result.chunks
    assert bool(chunks) == bool(tokens)

    for ordinal, chunk in enumerate(chunks):
        assert chunk.ordinal == ordinal and chunk.document_id == DOC
        # a chunk is a slice of the document text, cut at token boundaries
        assert chunk.text == text[chunk.start : chunk.end]
        assert any(s == chunk.start for s, _ in tokens) and any(e == chunk.end for _, e in tokens)
        assert chunk.token_count == count_tokens(chunk.text) <= policy.budget
        assert chunk.token_count >= 1
        # exactly the locators of the segments the chunk overlaps, in document order
        assert chunk.locators == tuple(loc for s, e, loc in spans if s < chunk.end and e > chunk.start)

    # every token lies in at least one chunk
    for s, e in tokens:
        assert any(c.start <= s and e <= c.end for c in chunks), (s, e, text[s:e])

    # no reordering: starts strictly increase, ends never decrease; and no chunk lies wholly
    # inside the one before it (each chunk brings at least one new token)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert before.start < after.start
        assert before.end < after.end
        # no gap: no token lies between two consecutive chunks
        assert not any(before.end <= s and e <= after.start for s, e in tokens)

    # dropping each chunk's overlap with the previous one rebuilds the token sequence exactly
    rebuilt: list[tuple[int, str]] = []
    previous_end = -1
    for chunk in chunks:
        own = [(chunk.start + m.start(), m.group()) for m in TOKEN_RE.finditer(chunk.text)]
        overlap = [t for t in own if t[0] < previous_end]
        assert own[: len(overlap)] == overlap  # the overlap is a prefix of the chunk
        assert len(overlap) <= policy.overlap
        rebuilt.extend(own[len(overlap) :])
        previous_end = chunk.end
    assert rebuilt == [(s, text[s:e]) for s, e in tokens]

    # an overlap never reaches back across a segment boundary
    segment_ends = {e for _, e, _ in spans}
    for before, after in zip(chunks, chunks[1:], strict=False):
        if before.end in segment_ends:
            assert after.start > before.end
        if after.start < before.end:
            assert any(s <= after.start and before.end <= e for s, e, _ in spans)


@settings(max_examples=200, deadline=None)
@given(segments=segment_lists(), policy=policies())
def test_chunking_is_deterministic(segments: list[Segment], policy: ChunkingPolicy) -> None:
    first = chunk_segments(DOC, segments, policy)
    second = chunk_segments(DOC, segments, policy)
    assert [(c.start, c.end, c.locators) for c in first.chunks] == [(c.start, c.end, c.locators) for c in second.chunks]


def _words(n: int, prefix: str) -> str:
    return " ".join(f"{prefix}{i}" for i in range(n)) + "."


def test_three_short_pages_give_one_chunk_per_page() -> None:
    policy = ChunkingPolicy(budget=50, overlap=10)
    pages = [Segment(text=_words(29, f"p{n}w"), locator=Locator(page=n)) for n in (1, 2, 3)]
    chunks = chunk_segments(DOC, pages, policy).chunks
    assert [c.label for c in chunks] == ["page 1", "page 2", "page 3"]
    assert [c.text for c in chunks] == [normalise(p.text) for p in pages]


def test_tiny_pages_share_one_chunk_labelled_with_the_page_range() -> None:
    pages = [Segment(text=f"Page {n} text.", locator=Locator(page=n)) for n in (1, 2, 3)]
    result = chunk_segments(DOC, pages)
    assert len(result.chunks) == 1
    assert result.chunks[0].label == "pages 1-3"
    assert result.text == "Page 1 text.\n\nPage 2 text.\n\nPage 3 text."


def test_long_page_is_split_with_overlap_inside_the_page() -> None:
    policy = ChunkingPolicy(budget=20, overlap=5)
    pages = [Segment(text=_words(12, "a"), locator=Locator(page=1)),
             Segment(text=" ".join(f"b{i}" for i in range(60)), locator=Locator(page=2))]
    chunks = chunk_segments(DOC, pages, policy).chunks
    assert chunks[0].label == "page 1"
    assert all(c.label == "page 2" for c in chunks[1:])
    assert chunks[1].text.startswith("b0 ")  # no overlap borrowed from page 1
    for before, after in zip(chunks[1:], chunks[2:], strict=False):
        assert before.end - after.start > 0  # consecutive chunks of page 2 overlap
        assert count_tokens(before.text[after.start - before.start :]) == policy.overlap


def test_prefers_to_end_at_a_sentence() -> None:
    text = "One two three four five six. Seven eight nine ten eleven twelve thirteen fourteen"
    chunks = chunk_segments(DOC, [Segment(text=text, locator=Locator(page=1))], ChunkingPolicy(budget=10, overlap=0)).chunks
    assert chunks[0].text == "One two three four five six."


def test_empty_and_blank_segments_give_no_chunks() -> None:
    result = chunk_segments(DOC, [Segment(text=" \n\t", locator=Locator(page=1)), Segment(text="", locator=Locator(page=2))])
    assert result.text == "" and result.chunks == []


def test_join_segments_skips_empty_segments() -> None:
    text, spans = join_segments([Segment(text="a", locator=Locator(page=1)), Segment(text=" ", locator=Locator(page=2)),
                                 Segment(text="b", locator=Locator(page=3))])
    assert text == "a\n\nb"
    assert spans == [(0, 1, Locator(page=1)), (3, 4, Locator(page=3))]


@pytest.mark.parametrize(("budget", "overlap"), [(0, 0), (5, 5), (5, -1), (3, 7)])
def test_policy_rejects_impossible_settings(budget: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        ChunkingPolicy(budget=budget, overlap=overlap)
