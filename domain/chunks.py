"""A chunk of a document's text and where it stands."""

from __future__ import annotations

import uuid

import attrs

from domain.locators import Locator, merge_label


@attrs.frozen(kw_only=True)
class Segment:
    """A piece of extracted text with one locator (a page, a paragraph, a cell range...)."""

    text: str
    locator: Locator


@attrs.frozen(kw_only=True)
class Chunk:
    """``start``/``end`` are offsets into the document's normalised text; ``text`` is that slice.

    ``spans`` holds, for each locator, the (start, end) document offsets of its text within the
    chunk, so a citation can point at the one paragraph, page or cell range that supports it."""

    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    document_id: uuid.UUID
    ordinal: int
    text: str
    locators: tuple[Locator, ...]
    start: int
    end: int
    token_count: int
    spans: tuple[tuple[int, int], ...] = ()

    def located_texts(self) -> list[tuple[Locator, str]]:
        """Each locator with the part of the chunk's text it covers (the whole text without spans)."""
        if len(self.spans) != len(self.locators):
            return [(loc, self.text) for loc in self.locators]
        return [(loc, self.text[max(0, s - self.start) : max(0, e - self.start)])
                for loc, (s, e) in zip(self.locators, self.spans, strict=True)]

    @property
    def label(self) -> str:
        return merge_label(self.locators)
