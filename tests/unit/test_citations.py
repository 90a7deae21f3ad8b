"""Pinpointing a citation to the located part of a chunk that supports the claim."""

from __future__ import annotations

import uuid

import attrs

from domain.chunking import ChunkingPolicy, chunk_segments
from domain.chunks import Segment
from domain.citations import evidence_by_number, pinpoint
from domain.locators import Locator

PAGES = [
    "Revenue grew by 12 percent to 4.2 billion dollars in the quarter.",
    "The company opened two factories in Ohio and Texas.",
    "Net income fell because of higher interest expense.",
]


def one_chunk_of_three_pages():  # noqa: ANN201
    chunked = chunk_segments(uuid.uuid4(), [Segment(text=t, locator=Locator(page=i + 1)) for i, t in enumerate(PAGES)],
                             ChunkingPolicy(budget=300, overlap=10))
    [chunk] = chunked.chunks
    return chunk


def test_evidence_is_the_text_before_each_marker() -> None:
    answer = "Revenue grew 12% [1]. Two factories opened [2][3]. Income fell [1]."
    assert evidence_by_number(answer) == {1: "Revenue grew 12% Income fell", 2: "Two factories opened",
                                          3: "Two factories opened"}
    assert evidence_by_number("No citations here.") == {}


def test_a_citation_points_at_the_page_that_supports_the_claim() -> None:
    chunk = one_chunk_of_three_pages()
    assert [loc.page for loc in chunk.locators] == [1, 2, 3]
    locators, quote = pinpoint(chunk, "The company opened factories in Ohio and Texas")
    assert locators == (Locator(page=2),)
    assert quote == PAGES[1]


def test_without_overlap_the_whole_chunk_stands() -> None:
    chunk = one_chunk_of_three_pages()
    locators, quote = pinpoint(chunk, "Совершенно другое")
    assert locators == chunk.locators and quote.startswith(PAGES[0][:20])


def test_a_chunk_without_spans_keeps_its_locators() -> None:
    chunk = one_chunk_of_three_pages()
    bare = attrs.evolve(chunk, spans=())
    locators, _ = pinpoint(bare, "factories in Ohio")
    assert locators == chunk.locators


def test_spans_cover_each_segment_inside_the_chunk() -> None:
    chunk = one_chunk_of_three_pages()
    assert [text for _, text in chunk.located_texts()] == PAGES


def test_one_source_cited_for_two_claims_points_at_both_parts() -> None:
    chunk = one_chunk_of_three_pages()
    evidence = "Revenue grew by 12 percent to 4.2 billion dollars. The company opened two factories in Ohio and Texas"
    locators, _ = pinpoint(chunk, evidence)
    assert locators == (Locator(page=1), Locator(page=2))


def test_a_part_adding_a_word_or_two_does_not_join() -> None:
    chunk = one_chunk_of_three_pages()
    locators, _ = pinpoint(chunk, "Revenue grew by 12 percent to 4.2 billion dollars in the quarter, net")
    assert locators == (Locator(page=1),)
