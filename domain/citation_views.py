"""What a citation viewer shows: the cited passage in its original, one value per kind of original.

A view is built from the stored chunk a citation names (its locators are never taken from the
client) and the original file: a PDF's pages with highlight boxes over the quoted words, a
spreadsheet range with the cited cells flagged, a Word section with the passage marked, text lines,
or the time range of a recording. Boxes are in page coordinates normalised to 0..1 from the page's
top-left corner as the page is displayed (its /Rotate applied), so a client scales them with the
image whatever its size."""

from __future__ import annotations

import uuid

import attrs

from domain.locators import Locator
from domain.passages import Span


@attrs.frozen(kw_only=True)
class Box:
    """A highlight rectangle: left, top, right, bottom, each 0..1 of the page's width or height."""

    x0: float
    y0: float
    x1: float
    y1: float


@attrs.frozen(kw_only=True)
class PageView:
    """One page of a PDF (or a frame of an image document): its size in points (pixels for an
    image), the highlight boxes (one per line of the passage) and whether the quote was found in
    the page's text (not on a page read by OCR, which has no characters to box)."""

    page: int
    width: float
    height: float
    boxes: tuple[Box, ...] = ()
    found: bool = False


@attrs.frozen(kw_only=True)
class PagesView:
    page_count: int
    pages: tuple[PageView, ...]
    note: str | None = None  # in plain words, why nothing is highlighted


@attrs.frozen(kw_only=True)
class SheetCell:
    column: str  # "A", "AB"
    value: str  # as the sheet shows it (its number format applied where it has a common one)
    cited: bool = False


@attrs.frozen(kw_only=True)
class SheetRow:
    number: int
    cells: tuple[SheetCell, ...]
    header: bool = False


@attrs.frozen(kw_only=True)
class SheetView:
    """The cited range of a sheet below its header row, the cited cells flagged; ``truncated`` when
    columns or rows past the caps were left out."""

    sheet: str
    cells: str  # the range shown, e.g. "A12:F31"
    columns: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    truncated: bool = False


@attrs.frozen(kw_only=True)
class SectionBlock:
    """A paragraph, heading or table of a Word section; ``marks`` are the quoted passage's offsets in
    ``text`` (a table's text is its rows' cells joined by tabs and line ends)."""

    number: int  # the block's 1-based position in the body (the paragraph locator)
    kind: str  # "heading" | "paragraph" | "table"
    text: str
    level: int | None = None  # of a heading
    rows: tuple[tuple[str, ...], ...] = ()  # of a table
    cited: bool = False
    marks: tuple[Span, ...] = ()


@attrs.frozen(kw_only=True)
class SectionView:
    section: str | None
    blocks: tuple[SectionBlock, ...]
    truncated: bool = False  # the section is longer than the blocks shown around the passage


@attrs.frozen(kw_only=True)
class TextLine:
    number: int
    text: str
    cited: bool = False


@attrs.frozen(kw_only=True)
class LinesView:
    lines: tuple[TextLine, ...]


@attrs.frozen(kw_only=True)
class MediaView:
    """A recording: play it from ``start_seconds``; ``media_type`` is what the original file is served as."""

    start_seconds: float
    end_seconds: float | None
    media_type: str


ViewBody = PagesView | SheetView | SectionView | LinesView | MediaView


@attrs.frozen(kw_only=True)
class CitationView:
    document_id: uuid.UUID
    chunk_ordinal: int
    kind: str  # the document's kind (pdf, xlsx, docx, text, markdown, csv, audio, image)
    quote: str
    locators: tuple[Locator, ...]  # of the chunk's parts that hold the quote, read from the stored chunk
    body: ViewBody
