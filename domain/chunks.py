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
    """``start``/``end`` are offsets into the document's normalised text; ``text`` is that slice."""

    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    document_id: uuid.UUID
    ordinal: int
    text: str
    locators: tuple[Locator, ...]
    start: int
    end: int
    token_count: int

    @property
    def label(self) -> str:
        return merge_label(self.locators)
