"""Reading a document's original file again, to show a cited passage where it stands.

The original is the stored file (a password given at upload was removed before it was stored, so
it opens without one). Every method reads untrusted bytes: an implementation bounds the memory,
time and pixels it may spend and raises FileTooComplex past them, FileCorrupt for a file it cannot
parse, PageNotFound for a page the file does not have."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from domain.citation_views import LinesView, PagesView, SectionView, SheetView
from domain.documents import DocumentKind

MIN_IMAGE_WIDTH, MAX_IMAGE_WIDTH = 64, 2400  # pixels of a rendered page image


class OriginalReader(Protocol):
    def pdf_pages(self, data: bytes, quotes: Mapping[int, str]) -> PagesView:
        """For each page number of ``quotes`` (1-based, in order), its size and the boxes of its
        quote's words (one box per line they cover)."""
        ...

    def image_pages(self, data: bytes, pages: Sequence[int]) -> PagesView:
        """The size of each frame of an image document (no boxes: its text came from OCR)."""
        ...

    def page_image(self, data: bytes, *, kind: DocumentKind, page: int, width: int) -> bytes:
        """A PDF page or an image frame as a PNG ``width`` pixels wide (fewer when the pixel cap
        needs it), for ``kind`` PDF or IMAGE."""
        ...

    def sheet_range(self, data: bytes, *, sheet: str, cells: str, cited_rows: Sequence[int]) -> SheetView:
        """The sheet's header row and the rows of ``cells`` ("A12:F31"), the cells of ``cited_rows``
        flagged (all of the range when it is empty)."""
        ...

    def section(self, data: bytes, *, paragraphs: Sequence[int], quote: str) -> SectionView:
        """The blocks of the Word section holding body blocks ``paragraphs`` (1-based), the quote
        marked in them."""
        ...

    def text_lines(self, data: bytes, *, first: int, last: int, quote: str) -> LinesView:
        """Lines ``first``..``last`` of a text file with a few around them, the lines of the range
        holding the quote marked (all of them when it is not found)."""
        ...
