"""A citation shown where it stands in the original: the page with the quote boxed, the cells of a
sheet, the passage of a Word section, the lines of a text file, the moment of a recording.

The client names the citation by its chunk ordinal and quote only: the locators come from the
stored chunk (the parts of it that hold the quote), so a view cannot be pointed at pages or cells
the citation did not come from. The original is read by an OriginalReader (capped, isolated)."""

from __future__ import annotations

import uuid

import attrs

from application.ports.originals import OriginalReader
from application.ports.storage import FileStorage
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, owned_document
from domain.chunks import Chunk
from domain.citation_views import CitationView, MediaView, PagesView, ViewBody
from domain.documents import Document, DocumentKind
from domain.errors import ChunkNotFound, InvalidInput
from domain.locators import Locator
from domain.media_types import media_type
from domain.passages import fold, quote_pieces

MAX_QUOTE_CHARS = 2000
OCR_NOTE = "This page was read by OCR from an image: the passage cannot be highlighted on it."
NOT_FOUND_NOTE = "The quoted words were not found in the page's text layer, so nothing is highlighted."
_TEXT_KINDS = frozenset({DocumentKind.TEXT, DocumentKind.MARKDOWN, DocumentKind.CSV})


@attrs.define
class ShowCitation:
    uow: UnitOfWork
    storage: FileStorage
    reader: OriginalReader

    def __call__(self, user_id: uuid.UUID, document_id: uuid.UUID, ordinal: int, quote: str = "") -> CitationView:
        """DocumentNotFound for another user's document, DocumentNotReady before it is processed,
        ChunkNotFound for an ordinal it does not have; the reader's errors for a file it cannot show."""
        if len(quote) > MAX_QUOTE_CHARS:
            raise InvalidInput(f"A quote is at most {MAX_QUOTE_CHARS} characters.", limit=MAX_QUOTE_CHARS)
        with self.uow as uow:
            document = owned_document(uow, active_user(uow, user_id), document_id)
            document.ensure_answerable()
            chunks = uow.chunks.get_many([(document.id, ordinal)])
        if not chunks:
            raise ChunkNotFound(f"The document has no chunk {ordinal}: it may have been processed again since "
                                "the answer was given; ask again.", chunk_ordinal=ordinal)
        parts = quoted_parts(chunks[0], quote)
        data = self.storage.get(document.storage_key)
        return CitationView(document_id=document.id, chunk_ordinal=ordinal, kind=document.kind.value, quote=quote,
                            locators=tuple(loc for loc, _ in parts), body=self._body(document, data, parts, quote))

    def _body(self, document: Document, data: bytes, parts: list[tuple[Locator, str]], quote: str) -> ViewBody:
        kind, first = document.kind, parts[0][0]
        if kind is DocumentKind.PDF:
            quotes: dict[int, list[str]] = {}
            for locator, text in parts:
                if locator.page is not None:
                    quotes.setdefault(locator.page, []).extend(pieces_in(text, quote))
            view = self.reader.pdf_pages(data, {page: " … ".join(p) for page, p in quotes.items()})
            if quote and not any(page.found for page in view.pages):
                view = attrs.evolve(view, note=NOT_FOUND_NOTE)
            return view
        if kind is DocumentKind.IMAGE:
            pages = sorted({loc.page for loc, _ in parts if loc.page is not None}) or [1]
            return attrs.evolve(self.reader.image_pages(data, pages), note=OCR_NOTE)
        if kind is DocumentKind.XLSX and first.sheet is not None and first.cells:
            return self.reader.sheet_range(data, sheet=first.sheet, cells=first.cells,
                                           cited_rows=cited_rows(first.cells, parts[0][1], quote))
        if kind is DocumentKind.DOCX:
            paragraphs = [loc.paragraph for loc, _ in parts if loc.paragraph is not None]
            view = self.reader.section(data, paragraphs=paragraphs or [1], quote=quote)
            return attrs.evolve(view, section=first.section or view.section)  # the path of headings, as cited
        if kind in _TEXT_KINDS and first.line_start is not None:
            last = max(loc.line_end or loc.line_start or 0 for loc, _ in parts)
            return self.reader.text_lines(data, first=first.line_start, last=last, quote=quote)
        if kind is DocumentKind.AUDIO and first.start_seconds is not None:
            ends = [loc.end_seconds for loc, _ in parts if loc.end_seconds is not None]
            return MediaView(start_seconds=first.start_seconds, end_seconds=max(ends) if ends else None,
                             media_type=media_type(kind, data[:16]))
        return PagesView(page_count=0, pages=(), note="This citation has no place in the original to show.")


def quoted_parts(chunk: Chunk, quote: str) -> list[tuple[Locator, str]]:
    """The chunk's located parts that hold a piece of ``quote``, in order (all of them when none does)."""
    parts = chunk.located_texts()
    held = [(loc, text) for loc, text in parts if pieces_in(text, quote)]
    return held or parts


def pieces_in(text: str, quote: str) -> list[str]:
    """The pieces of ``quote`` (domain.passages.quote_pieces) that ``text`` holds, folded alike."""
    folded = fold(text)[0]
    return [piece for piece in quote_pieces(quote) if fold(piece)[0] in folded]


def cited_rows(cells: str, block: str, quote: str) -> list[int]:
    """The sheet rows of a Markdown table block (located ``cells``, its first data line being the
    range's first row) whose line the quote holds; [] when the quote names no row (then the whole
    range is cited)."""
    letters = cells.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if not letters.isdigit():
        return []
    lines = [line for line in block.split("\n") if line.startswith("|")]
    if len(lines) < 2 or not lines[1].startswith("|---"):  # a part of a block cut by chunking: rows unknown
        return []
    data = lines[2:]  # after the header and its separator
    wanted = {fold(piece)[0] for piece in quote_pieces(quote)}
    first = int(letters)
    rows = []
    for offset, line in enumerate(data):
        folded = fold(line)[0]
        if folded and any(folded == w or (len(w) > 8 and folded.startswith(w)) for w in wanted):
            rows.append(first + offset)
    return rows
