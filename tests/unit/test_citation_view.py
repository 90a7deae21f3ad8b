"""The citation viewer's use cases on fakes: the view's locators come from the stored chunk (the
parts holding the quote), never from the client; each kind goes to its reader with what it needs;
another user's document is not found; page images and originals are checked the same way."""

from __future__ import annotations

import uuid

import attrs
import pytest

from application.use_cases.citation_view import ShowCitation, cited_rows, quoted_parts
from application.use_cases.original_files import OriginalFile, PageImage
from domain.chunks import Chunk
from domain.citation_views import LinesView, MediaView, PagesView, PageView, SectionView, SheetView
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.errors import ChunkNotFound, DocumentNotFound, DocumentNotReady, InvalidInput, PageNotFound
from domain.locators import Locator
from tests.unit.conftest import World

BLOCK = "Sheet Stock\n| SKU | Depot | Units |\n|---|---|---|\n| KX-19 | Riga | 75 |\n| KX-22 | Riga | 410 |"


@attrs.define
class RecordingReader:
    """An OriginalReader that records what it was asked and answers with empty views."""

    calls: list[tuple[str, dict]] = attrs.Factory(list)

    def pdf_pages(self, data: bytes, quotes: dict[int, str]) -> PagesView:
        self.calls.append(("pdf_pages", {"quotes": dict(quotes)}))
        return PagesView(page_count=9, pages=tuple(PageView(page=p, width=612, height=792, found=bool(q))
                                                   for p, q in quotes.items()))

    def image_pages(self, data: bytes, pages: list[int]) -> PagesView:
        self.calls.append(("image_pages", {"pages": list(pages)}))
        return PagesView(page_count=2, pages=tuple(PageView(page=p, width=640, height=480) for p in pages))

    def page_image(self, data: bytes, *, kind: DocumentKind, page: int, width: int) -> bytes:
        self.calls.append(("page_image", {"kind": kind, "page": page, "width": width}))
        return b"PNG"

    def sheet_range(self, data: bytes, *, sheet: str, cells: str, cited_rows: list[int]) -> SheetView:
        self.calls.append(("sheet_range", {"sheet": sheet, "cells": cells, "cited_rows": list(cited_rows)}))
        return SheetView(sheet=sheet, cells=cells, columns=("A",), rows=())

    def section(self, data: bytes, *, paragraphs: list[int], quote: str) -> SectionView:
        self.calls.append(("section", {"paragraphs": list(paragraphs), "quote": quote}))
        return SectionView(section="Terms", blocks=())

    def text_lines(self, data: bytes, *, first: int, last: int, quote: str) -> LinesView:
        self.calls.append(("text_lines", {"first": first, "last": last}))
        return LinesView(lines=())


def _document(world: World, owner_id: uuid.UUID, kind: DocumentKind, chunks: list[tuple[str, Locator]],
              data: bytes = b"%PDF-1.7 original", status: DocumentStatus = DocumentStatus.COMPLETED) -> Document:
    """A stored document of ``kind`` whose one chunk (ordinal 0) has these located parts."""
    now = world.clock.now()
    document = Document(owner_id=owner_id, filename="file", kind=kind, size=len(data), sha256="ab" * 32,
                        storage_key=world.storage.put(data), status=status, page_count=9, created_at=now,
                        updated_at=now)
    text, spans, start = "", [], 0
    for part, _ in chunks:
        spans.append((start + len(text), start + len(text) + len(part)))
        text += part + "\n"
    chunk = Chunk(document_id=document.id, ordinal=0, text=text.rstrip("\n"), locators=tuple(loc for _, loc in chunks),
                  start=0, end=len(text), token_count=10, spans=tuple(spans))
    with world.uow as uow:
        uow.documents.add(document)
        uow.chunks.replace(document.id, [chunk])
        uow.commit()
    return document


@pytest.fixture
def reader() -> RecordingReader:
    return RecordingReader()


def _show(world: World, reader: RecordingReader) -> ShowCitation:
    return ShowCitation(uow=world.uow, storage=world.storage, reader=reader)


def test_a_pdf_view_boxes_the_quote_on_the_page_of_the_part_that_holds_it(world: World, reader) -> None:  # noqa: ANN001
    user = world.add_user()
    document = _document(world, user.id, DocumentKind.PDF, [("Revenue was up 5% on page three.", Locator(page=3)),
                                                            ("Gaming revenue was $2.86 billion.", Locator(page=4))])
    view = _show(world, reader)(user.id, document.id, 0, "Gaming revenue was $2.86 billion.")
    assert reader.calls == [("pdf_pages", {"quotes": {4: "Gaming revenue was $2.86 billion."}})]
    assert view.locators == (Locator(page=4),) and view.kind == "pdf" and view.body.note is None
    assert view.body.pages[0].page == 4


def test_a_quote_naming_no_part_shows_every_part_and_says_so(world: World, reader) -> None:  # noqa: ANN001
    user = world.add_user()
    document = _document(world, user.id, DocumentKind.PDF, [("First page text.", Locator(page=1)),
                                                            ("Second page text.", Locator(page=2))])
    view = _show(world, reader)(user.id, document.id, 0, "A sentence from somewhere else entirely")
    assert view.locators == (Locator(page=1), Locator(page=2))
    assert reader.calls[0][1]["quotes"] == {1: "", 2: ""}
    assert "not found" in view.body.note


def test_parts_joined_by_an_ellipsis_each_go_to_their_page(world: World, reader) -> None:  # noqa: ANN001
    user = world.add_user()
    document = _document(world, user.id, DocumentKind.PDF, [("Net income rose sharply.", Locator(page=7)),
                                                            ("Cash fell to $3 billion.", Locator(page=8))])
    view = _show(world, reader)(user.id, document.id, 0, "Net income rose sharply. … Cash fell to $3 billion.")
    assert reader.calls[0][1]["quotes"] == {7: "Net income rose sharply.", 8: "Cash fell to $3 billion."}
    assert view.locators == (Locator(page=7), Locator(page=8))


def test_another_users_document_and_an_unknown_chunk_are_not_found(world: World, reader) -> None:  # noqa: ANN001
    ann, bob = world.add_user(), world.add_user()
    document = _document(world, ann.id, DocumentKind.PDF, [("Text.", Locator(page=1))])
    with pytest.raises(DocumentNotFound):
        _show(world, reader)(bob.id, document.id, 0, "Text.")
    with pytest.raises(ChunkNotFound):
        _show(world, reader)(ann.id, document.id, 5, "Text.")
    with pytest.raises(InvalidInput):
        _show(world, reader)(ann.id, document.id, 0, "x" * 2001)
    pending = _document(world, ann.id, DocumentKind.PDF, [("Text.", Locator(page=1))], status=DocumentStatus.PENDING)
    with pytest.raises(DocumentNotReady):
        _show(world, reader)(ann.id, pending.id, 0, "Text.")
    assert reader.calls == []


def test_a_sheet_view_flags_the_rows_its_quote_names(world: World, reader) -> None:  # noqa: ANN001
    user = world.add_user()
    document = _document(world, user.id, DocumentKind.XLSX, [(BLOCK, Locator(sheet="Stock", cells="A2:C3"))])
    _show(world, reader)(user.id, document.id, 0, "| KX-22 | Riga | 410 |\n| SKU | Depot | Units |")
    assert reader.calls == [("sheet_range", {"sheet": "Stock", "cells": "A2:C3", "cited_rows": [3]})]


def test_cited_rows_follow_the_blocks_lines() -> None:
    assert cited_rows("A2:C3", BLOCK, "| KX-19 | Riga | 75 |") == [2]
    assert cited_rows("A2:C3", BLOCK, "| KX-22 | Riga | 4") == [3]  # a row cut short still names it
    assert cited_rows("A2:C3", BLOCK, "| KX-2") == []  # too short a cut to tell the rows apart
    assert cited_rows("A2:C3", BLOCK, BLOCK[:78]) == [2]  # the block itself, cut: the rows it holds whole
    assert cited_rows("A2:C3", "| KX-22 | Riga | 410 |", "| KX-22 | Riga | 410 |") == []  # a block cut by chunking


def test_section_lines_and_recordings_get_their_own_readers(world: World, reader) -> None:  # noqa: ANN001
    user = world.add_user()
    word = _document(world, user.id, DocumentKind.DOCX, [("Invoices are payable in 30 days.",
                                                          Locator(section="Terms > Payment", paragraph=4))])
    view = _show(world, reader)(user.id, word.id, 0, "payable in 30 days")
    assert reader.calls[-1] == ("section", {"paragraphs": [4], "quote": "payable in 30 days"})
    assert view.body.section == "Terms > Payment"  # the heading path the chunk was cited under
    text = _document(world, user.id, DocumentKind.MARKDOWN, [("a", Locator(line_start=3, line_end=5)),
                                                             ("b", Locator(line_start=7, line_end=9))])
    _show(world, reader)(user.id, text.id, 0, "")
    assert reader.calls[-1] == ("text_lines", {"first": 3, "last": 9})
    audio = _document(world, user.id, DocumentKind.AUDIO, [("hello there", Locator(start_seconds=12.5, end_seconds=20)),
                                                           ("and more", Locator(start_seconds=20, end_seconds=31))],
                      data=b"OggS\x00\x02rest of the file")
    view = _show(world, reader)(user.id, audio.id, 0, "hello there … and more")
    assert view.body == MediaView(start_seconds=12.5, end_seconds=31, media_type="audio/ogg")


def test_an_image_view_shows_its_pages_and_says_why_nothing_is_boxed(world: World, reader) -> None:  # noqa: ANN001
    user = world.add_user()
    scan = _document(world, user.id, DocumentKind.IMAGE, [("OCR text of page two", Locator(page=2))],
                     data=b"\x89PNG\r\n\x1a\nrest")
    view = _show(world, reader)(user.id, scan.id, 0, "OCR text of page two")
    assert reader.calls == [("image_pages", {"pages": [2]})] and "OCR" in view.body.note


def test_quoted_parts_fall_back_to_the_whole_chunk() -> None:
    chunk = Chunk(document_id=uuid.uuid4(), ordinal=0, text="alpha beta", locators=(Locator(page=1),), start=0,
                  end=10, token_count=2)
    assert quoted_parts(chunk, "gamma") == [(Locator(page=1), "alpha beta")]


def test_a_page_image_is_checked_before_it_is_drawn(world: World, reader) -> None:  # noqa: ANN001
    ann, bob = world.add_user(), world.add_user()
    pdf = _document(world, ann.id, DocumentKind.PDF, [("Text.", Locator(page=1))])
    images = PageImage(uow=world.uow, storage=world.storage, reader=reader)
    assert images(ann.id, pdf.id, 9, 800) == b"PNG"
    assert reader.calls == [("page_image", {"kind": DocumentKind.PDF, "page": 9, "width": 800})]
    assert images.tag(ann.id, pdf.id, 9, 800) != images.tag(ann.id, pdf.id, 9, 400)
    with pytest.raises(PageNotFound):
        images(ann.id, pdf.id, 10, 800)
    with pytest.raises(DocumentNotFound):
        images.tag(bob.id, pdf.id, 1, 800)
    for width in (63, 2401):
        with pytest.raises(InvalidInput):
            images(ann.id, pdf.id, 1, width)
    sheet = _document(world, ann.id, DocumentKind.XLSX, [(BLOCK, Locator(sheet="Stock", cells="A2:C3"))])
    with pytest.raises(InvalidInput, match="Only PDF and image documents"):
        images(ann.id, sheet.id, 1, 800)
    assert len(reader.calls) == 1


def test_the_original_comes_with_its_media_type_and_only_to_its_owner(world: World) -> None:
    ann, bob = world.add_user(), world.add_user()
    recording = _document(world, ann.id, DocumentKind.AUDIO, [("hi", Locator(start_seconds=0))],
                          data=b"RIFF\x00\x00\x00\x00WAVEfmt ")
    original = OriginalFile(uow=world.uow, storage=world.storage)(ann.id, recording.id)
    assert (original.media_type, original.data[:4], original.filename) == ("audio/wav", b"RIFF", "file")
    with pytest.raises(DocumentNotFound):
        OriginalFile(uow=world.uow, storage=world.storage)(bob.id, recording.id)
