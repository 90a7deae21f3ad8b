"""Implements application.ports.originals.OriginalReader: each read of an original runs in a child
process under the extraction memory cap and a time cap (adapters.extractors.child_call), so a
hostile page or workbook costs a request a refusal, never the API process its memory."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from adapters.extractors.child_call import call_in_child
from adapters.extractors.pdf_render import PixelCaps
from adapters.extractors.sheet_caps import SheetCaps
from adapters.extractors.views import docx_section, image_frames, pdf_page, sheet_range, text_lines
from domain.citation_views import LinesView, PagesView, SectionView, SheetView
from domain.documents import DocumentKind
from domain.errors import InvalidInput

VIEW_SECONDS = 30.0


class IsolatedOriginalReader:
    def __init__(self, caps: PixelCaps = PixelCaps(), sheet_caps: SheetCaps = SheetCaps(), memory_mb: int = 1024,
                 seconds: float = VIEW_SECONDS, isolated: bool = True) -> None:
        self.caps, self.sheet_caps = caps, sheet_caps
        self.memory_mb, self.seconds = memory_mb, seconds
        self.isolated = isolated  # False: in this process (tests of the reading itself)

    def pdf_pages(self, data: bytes, quotes: Mapping[int, str]) -> PagesView:
        return self._call("reading this page", pdf_page.pdf_pages, data, dict(quotes))

    def image_pages(self, data: bytes, pages: Sequence[int]) -> PagesView:
        return self._call("reading this image", image_frames.image_pages, data, list(pages), self.caps)

    def page_image(self, data: bytes, *, kind: DocumentKind, page: int, width: int) -> bytes:
        if kind is DocumentKind.PDF:
            return self._call("drawing this page", pdf_page.page_png, data, page, width, self.caps)
        if kind is DocumentKind.IMAGE:
            return self._call("drawing this image", image_frames.frame_png, data, page, width, self.caps)
        raise InvalidInput(f"Only PDF and image documents have page images; this one is {kind.value}.")

    def sheet_range(self, data: bytes, *, sheet: str, cells: str, cited_rows: Sequence[int]) -> SheetView:
        return self._call("reading this sheet", sheet_range.sheet_range, data, sheet, cells, list(cited_rows),
                          self.sheet_caps)

    def section(self, data: bytes, *, paragraphs: Sequence[int], quote: str) -> SectionView:
        return self._call("reading this document", docx_section.section, data, list(paragraphs), quote)

    def text_lines(self, data: bytes, *, first: int, last: int, quote: str) -> LinesView:
        return self._call("reading this file", text_lines.text_lines, data, first, last, quote)

    def _call(self, what: str, function: Callable[..., Any], *args: Any) -> Any:
        if not self.isolated:
            return function(*args)
        return call_in_child(function, *args, memory_mb=self.memory_mb, seconds=self.seconds, what=what)
