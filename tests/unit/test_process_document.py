"""ProcessDocument: extract, chunk, complete or fail, notify; idempotent."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from application.errors import TransientError
from application.ports.extractor import Extraction, ProgressCallback
from application.use_cases.process_document import INTERNAL_ERROR_CODE, INTERNAL_ERROR_MESSAGE
from domain.analytics import EventType
from domain.chunking import ChunkingPolicy
from domain.chunks import Segment
from domain.documents import DocumentKind, DocumentStatus
from domain.errors import FileCorrupt, FileEncrypted
from domain.locators import Locator
from tests.fakes import FakeExtractor, FakeExtractors
from tests.unit.conftest import World


class PagedExtractor(FakeExtractor):
    """Pages split on form feeds, reporting progress after each page; hooks let a test look in."""

    def __init__(self, *, on_extract: Callable[[], None] | None = None,
                 after_progress: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.on_extract, self.after_progress = on_extract, after_progress

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None,
                budget=None) -> Extraction:  # noqa: ANN001
        if self.on_extract:
            self.on_extract()
        pages = data.decode().split("\f")
        segments = []
        for n, page in enumerate(pages, start=1):
            segments.append(Segment(text=page, locator=Locator(page=n)))
            if progress:
                progress(n, len(pages))
                if self.after_progress:
                    self.after_progress()
        return Extraction(segments=segments, page_count=len(pages))


def pending(world: World, text: str = "First paragraph.\n\nSecond paragraph.", user=None):  # noqa: ANN001, ANN201
    return world.upload(user or world.add_user(), text)


def test_process_completes_with_chunks(world: World) -> None:
    document = pending(world)
    status = world.process_use_case()(document.id)
    assert status is DocumentStatus.COMPLETED
    stored = world.document(document.id)
    assert stored.status is DocumentStatus.COMPLETED
    assert stored.extracted_text == "First paragraph.\n\nSecond paragraph."
    chunks = world.store.chunks[document.id]
    assert [c.text for c in chunks] == ["First paragraph.\n\nSecond paragraph."]
    assert chunks[0].locators == (Locator(paragraph=1), Locator(paragraph=2))
    assert world.notifier.sent == [("completed", document.id, DocumentStatus.COMPLETED)]
    processed = [e for e in world.store.events if e.type is EventType.DOCUMENT_PROCESSED]
    assert processed[0].data == {"kind": "text", "chunks": 1, "pages": None}


def test_pages_progress_and_page_count(world: World) -> None:
    seen = []

    def look() -> None:
        current = world.document(document.id)
        seen.append((current.progress_done, current.progress_total, current.status))

    world.extractors = FakeExtractors(PagedExtractor(after_progress=look))
    document = pending(world, "Page one text.\fPage two text.\fPage three text.")
    world.process_use_case(ChunkingPolicy(budget=4, overlap=1))(document.id)
    stored = world.document(document.id)
    assert stored.page_count == 3
    # pages are stored as they come; the last one is written with the completion, not on its own
    assert seen == [(1, 3, DocumentStatus.PROCESSING), (2, 3, DocumentStatus.PROCESSING),
                    (2, 3, DocumentStatus.PROCESSING)]
    assert (stored.progress_done, stored.progress_total, stored.status) == (3, 3, DocumentStatus.COMPLETED)
    assert [c.label for c in world.store.chunks[document.id]] == ["page 1", "page 2", "page 3"]


def test_the_document_is_processing_while_extracting(world: World) -> None:
    seen = []
    extractor = PagedExtractor(on_extract=lambda: seen.append(world.document(document.id).status))
    world.extractors = FakeExtractors(extractor)
    document = pending(world)
    world.process_use_case()(document.id)
    assert seen == [DocumentStatus.PROCESSING]


@pytest.mark.parametrize("error", [FileCorrupt("The PDF is damaged."), FileEncrypted("The file needs a password.")])
def test_a_domain_error_fails_the_document_with_its_code(world: World, error: Exception) -> None:
    world.extractors = FakeExtractors(FakeExtractor(fail_with=error))
    document = pending(world)
    assert world.process_use_case()(document.id) is DocumentStatus.FAILED
    stored = world.document(document.id)
    assert (stored.status, stored.error_code, stored.error_message) == (DocumentStatus.FAILED, error.code, error.message)
    assert world.notifier.sent == [("failed", document.id, DocumentStatus.FAILED)]
    assert document.id not in world.store.chunks
    failed = [e for e in world.store.events if e.type is EventType.DOCUMENT_FAILED]
    assert failed[0].data == {"kind": "text", "code": error.code}


def test_no_text_fails_with_no_text_found(world: World) -> None:
    world.extractors = FakeExtractors(PagedExtractor())
    document = pending(world, " \f \n ")
    assert world.process_use_case()(document.id) is DocumentStatus.FAILED
    assert world.document(document.id).error_code == "no_text_found"


def test_an_unexpected_exception_fails_with_processing_error(world: World) -> None:
    world.extractors = FakeExtractors(FakeExtractor(fail_with=KeyError("internal detail")))
    document = pending(world)
    assert world.process_use_case()(document.id) is DocumentStatus.FAILED
    stored = world.document(document.id)
    assert (stored.error_code, stored.error_message) == (INTERNAL_ERROR_CODE, INTERNAL_ERROR_MESSAGE)
    assert "internal detail" not in stored.error_message
    assert world.notifier.sent == [("failed", document.id, DocumentStatus.FAILED)]


class ModelTimeout(TransientError):
    pass


def test_a_transient_error_is_raised_and_the_document_stays_processing(world: World) -> None:
    world.extractors = FakeExtractors(FakeExtractor(fail_with=ModelTimeout("try later")))
    document = pending(world)
    with pytest.raises(ModelTimeout):
        world.process_use_case()(document.id)
    assert world.document(document.id).status is DocumentStatus.PROCESSING
    assert world.notifier.sent == []
    # the retry succeeds
    world.extractors = FakeExtractors()
    assert world.process_use_case()(document.id) is DocumentStatus.COMPLETED


def test_processing_twice_does_not_duplicate_chunks(world: World) -> None:
    document = pending(world, "\n\n".join(f"Paragraph {n} " + "word " * 30 for n in range(6)))
    process = world.process_use_case(ChunkingPolicy(budget=40, overlap=5))
    process(document.id)
    first = [(c.ordinal, c.text) for c in world.store.chunks[document.id]]
    assert len(first) > 1
    assert process(document.id) is DocumentStatus.COMPLETED
    assert [(c.ordinal, c.text) for c in world.store.chunks[document.id]] == first
    # even when a document is processed again from scratch, its chunks are replaced
    with world.uow as uow:
        stored = uow.documents.get(document.id)
        stored.start_processing(world.clock.now())
        uow.documents.update(stored)
        uow.commit()
    process(document.id)
    assert [(c.ordinal, c.text) for c in world.store.chunks[document.id]] == first


def test_a_failed_document_can_be_processed_again(world: World) -> None:
    world.extractors = FakeExtractors(FakeExtractor(fail_with=FileCorrupt("bad")))
    document = pending(world)
    world.process_use_case()(document.id)
    world.extractors = FakeExtractors()
    assert world.process_use_case()(document.id) is DocumentStatus.COMPLETED
    stored = world.document(document.id)
    assert stored.error_code is None and stored.error_message is None


def test_a_missing_document_returns_none(world: World) -> None:
    assert world.process_use_case()(uuid.uuid4()) is None
    assert world.notifier.sent == []


def test_a_document_deleted_while_processing_returns_none(world: World) -> None:
    def delete_it() -> None:
        with world.uow as uow:
            uow.documents.delete(document.id)
            uow.commit()

    world.extractors = FakeExtractors(PagedExtractor(on_extract=delete_it))
    document = pending(world)
    assert world.process_use_case()(document.id) is None
    assert world.document(document.id) is None
    assert document.id not in world.store.chunks
    assert world.notifier.sent == []


def test_a_document_completed_by_another_worker_meanwhile_is_completed_once(world: World) -> None:
    """A worker presumed dead that was not: both process the document, one completion is stored."""
    document = pending(world, "Page one.\fPage two.")
    other = world.process_use_case()  # plain extractors (built before the hook below)
    world.extractors = FakeExtractors(PagedExtractor(on_extract=lambda: other(document.id)))
    slow = world.process_use_case()
    assert slow(document.id) is DocumentStatus.COMPLETED  # the other one completed it meanwhile
    processed = [e for e in world.store.events if e.type is EventType.DOCUMENT_PROCESSED]
    assert len(processed) == 1
    assert world.notifier.sent == [("completed", document.id, DocumentStatus.COMPLETED)]
    assert len(world.store.chunks[document.id]) == 1


def test_a_failing_notifier_does_not_undo_the_processing(world: World) -> None:
    class BrokenNotifier:
        def document_completed(self, user, document) -> None:  # noqa: ANN001
            raise ConnectionError("telegram down")

        document_failed = document_completed

    world.notifier = BrokenNotifier()
    document = pending(world)
    assert world.process_use_case()(document.id) is DocumentStatus.COMPLETED
    assert world.document(document.id).status is DocumentStatus.COMPLETED
