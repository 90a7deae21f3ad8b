"""Real-time events as values (domain.events) and where the use cases publish them: after the
commit whose change they report, never at the cost of the work; the pending state a socket starts
from (PendingDocuments)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

from adapters.persistence.threaded_async_store import ThreadedAsyncStore
from application.use_cases.fail_document import FailDocument
from application.use_cases.pending_documents import PendingDocuments
from application.use_cases.query_document import PendingAnswer, QueryDocument, QueryDocumentCommand
from domain.documents import DocumentStatus
from domain.errors import FileCorrupt, RateLimited, UserBanned
from domain.events import (
    DocumentCompleted,
    DocumentFailed,
    DocumentProgress,
    QuotaChanged,
    QuotaWindow,
    UserEvent,
    as_dict,
    from_dict,
)
from domain.users import Tier, UserStatus
from tests.fakes import FakeExtractor, FakeExtractors
from tests.unit.conftest import World
from tests.unit.test_process_document import PagedExtractor

USER, DOC = uuid.UUID(int=7), uuid.UUID(int=9)
RESET = datetime(2026, 3, 2, 9, 16, tzinfo=UTC)
EXAMPLES: list[UserEvent] = [
    DocumentProgress(user_id=USER, document_id=DOC, status="processing", progress_done=2, progress_total=5),
    DocumentCompleted(user_id=USER, document_id=DOC, status="completed", filename="10-Q.pdf", kind="pdf",
                      page_count=40, chunks=120, notes="Pages without a text layer were not read: 3."),
    DocumentFailed(user_id=USER, document_id=DOC, status="failed", filename="x.docx", error_code="file_corrupt",
                   error_message="The file is damaged and cannot be read."),
    QuotaChanged(user_id=USER, tier="free", windows=(QuotaWindow(window="minute", limit=10, used=3, reset_at=RESET),)),
]


def test_events_serialise_with_their_type_name_and_come_back_equal() -> None:
    assert [as_dict(e)["type"] for e in EXAMPLES] == ["document.progress", "document.completed",
                                                      "document.failed", "quota.changed"]
    for event in EXAMPLES:
        data = as_dict(event)
        assert data["user_id"] == str(USER) and from_dict(data) == event
    assert as_dict(EXAMPLES[0], for_client=True) == {
        "type": "document.progress", "document_id": str(DOC), "status": "processing", "progress_done": 2,
        "progress_total": 5}
    assert as_dict(EXAMPLES[3], for_client=True)["windows"] == [
        {"window": "minute", "limit": 10, "used": 3, "remaining": 7, "reset_at": "2026-03-02T09:16:00+00:00"}]
    assert all("user_id" not in as_dict(e, for_client=True) for e in EXAMPLES)


@pytest.mark.parametrize("data", [{}, {"type": "document.deleted", "user_id": str(USER)},
                                  {"type": "document.progress", "user_id": "not-a-uuid"},
                                  {**as_dict(EXAMPLES[0]), "progress_done": None} | {"document_id": 5}])
def test_what_is_not_an_event_is_a_value_error(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        from_dict(data)


class Recorder:
    """An EventPublisher recording each event with what was committed when it was published."""

    def __init__(self, world: World, *, fail: bool = False) -> None:
        self.world, self.fail = world, fail
        self.events: list[UserEvent] = []
        self.committed: list[Any] = []

    def publish(self, event: UserEvent) -> None:
        store = self.world.store
        if isinstance(event, QuotaChanged):
            self.committed.append(len(store.conversations))
        else:
            stored = store.documents[event.document_id]
            self.committed.append((stored.status.value, stored.progress_done))
        self.events.append(event)
        if self.fail:
            raise ConnectionError("Redis is down")


def test_processing_publishes_progress_then_completion_each_after_its_commit(world: World) -> None:
    recorder = Recorder(world)
    world.extractors = FakeExtractors(PagedExtractor())
    document = world.upload(world.add_user(), "Page one.\fPage two.\fPage three.")
    attrs.evolve(world.process_use_case(), events=recorder)(document.id)
    assert [type(e) for e in recorder.events] == [DocumentProgress] * 3 + [DocumentCompleted]
    assert [(e.status, e.progress_done) for e in recorder.events[:3]] == [("processing", 0), ("processing", 1),
                                                                          ("processing", 2)]
    assert recorder.committed == [("processing", 0), ("processing", 1), ("processing", 2), ("completed", 3)]
    done = recorder.events[-1]
    assert (done.document_id, done.user_id, done.filename, done.chunks) == (document.id, document.owner_id,
                                                                            "notes.txt", 1)


def test_a_failure_is_published_with_the_message_the_user_sees(world: World) -> None:
    recorder = Recorder(world)
    world.extractors = FakeExtractors(FakeExtractor(fail_with=FileCorrupt("The file is damaged.")))
    document = world.upload(world.add_user(), "Some text.")
    attrs.evolve(world.process_use_case(), events=recorder)(document.id)
    failed = recorder.events[-1]
    assert isinstance(failed, DocumentFailed) and recorder.committed[-1] == ("failed", 0)
    assert (failed.error_code, failed.error_message) == ("file_corrupt", "The file is damaged.")
    given_up = world.upload(world.add_user(), "More text.")
    FailDocument(uow=world.uow, notifier=world.notifier, clock=world.clock, events=recorder)(given_up.id)
    assert recorder.events[-1] == DocumentFailed.of(world.document(given_up.id))
    assert recorder.committed[-1] == ("failed", 0)


def test_a_publisher_that_fails_never_fails_the_job(world: World) -> None:
    recorder = Recorder(world, fail=True)
    document = world.upload(world.add_user(), "Some text.")
    status = attrs.evolve(world.process_use_case(), events=recorder)(document.id)
    assert status is DocumentStatus.COMPLETED and world.document(document.id).status is DocumentStatus.COMPLETED
    assert [type(e) for e in recorder.events] == [DocumentProgress, DocumentCompleted]
    assert world.notifier.sent == [("completed", document.id, DocumentStatus.COMPLETED)]  # the rest went on


def asking(world: World, recorder: Recorder) -> QueryDocument:
    return attrs.evolve(world.query_use_case(), events=recorder)


def test_an_answer_publishes_the_quota_once_it_is_recorded(world: World) -> None:
    recorder = Recorder(world)
    user = world.add_user()
    document = world.ready_document(user, "Invoices are payable within 30 days.")
    command = QueryDocumentCommand(user_id=user.id, question="When are invoices payable?", document_id=document.id)
    asking(world, recorder)(command)
    asking(world, recorder)(command)  # a cache hit: recorded in the unit of work that found it
    assert recorder.committed == [1, 2]  # the conversation was committed before each event
    assert [[(w.window, w.used, w.remaining) for w in e.windows] for e in recorder.events] == [
        [("minute", 1, 9), ("hour", 1, 99), ("day", 1, 499)], [("minute", 2, 8), ("hour", 2, 98), ("day", 2, 498)]]
    assert {(e.user_id, e.tier) for e in recorder.events} == {(user.id, "free")}


def test_the_event_loop_path_publishes_the_quota_after_recording_too(world: World) -> None:
    recorder = Recorder(world)
    user = world.add_user()
    document = world.ready_document(user, "Invoices are payable within 30 days.")
    command = QueryDocumentCommand(user_id=user.id, question="When are invoices payable?", document_id=document.id)

    async def offload(func: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    def open_async() -> Any:
        return asyncio.run(asking(world, recorder).open_async(command, store=ThreadedAsyncStore(lambda: world.uow),
                                                              offload=offload))

    pending = open_async()
    assert isinstance(pending, PendingAnswer) and recorder.events == []  # not before the answer exists
    list(pending.stream())
    cached = open_async()  # recorded through the store, on the loop
    assert not isinstance(cached, PendingAnswer)
    assert recorder.committed == [1, 2] and [e.windows[0].used for e in recorder.events] == [1, 2]


def test_no_quota_event_for_an_unlimited_tier_or_a_refused_question(world: World) -> None:
    recorder = Recorder(world)
    rich = world.add_user(tier=Tier.ENTERPRISE)
    document = world.ready_document(rich, "Invoices are payable within 30 days.")
    asking(world, recorder)(QueryDocumentCommand(user_id=rich.id, question="When?", document_id=document.id))
    assert recorder.events == []
    user = world.add_user()
    document = world.ready_document(user, "Invoices are payable within 30 days.")
    for n in range(11):
        command = QueryDocumentCommand(user_id=user.id, question=f"When, {n}?", document_id=document.id)
        if n < 10:
            asking(world, recorder)(command)
        else:
            with pytest.raises(RateLimited):
                asking(world, recorder)(command)
    assert [e.windows[0].used for e in recorder.events] == list(range(1, 11))  # none for the refusal


def test_the_pending_state_lists_waiting_and_processing_documents_oldest_first(world: World) -> None:
    ann, bob = world.add_user(), world.add_user()
    waiting = world.upload(ann, "First.")
    world.clock.advance(1)
    ready = world.ready_document(ann, "Done.")
    busy = world.upload(ann, "Busy.")
    with world.uow as uow:
        stored = uow.documents.get(busy.id)
        stored.start_processing(world.clock.now())
        stored.report_progress(2, 7, world.clock.now())
        uow.documents.update(stored)
        uow.commit()
    world.upload(bob, "Bob's.")
    state = PendingDocuments(world.uow)(ann.id)
    assert [(e.document_id, e.status, e.progress_done, e.progress_total) for e in state] == [
        (waiting.id, "pending", 0, 0), (busy.id, "processing", 2, 7)]
    assert ready.id not in {e.document_id for e in state}
    world.set_status(ann, UserStatus.BANNED)
    with pytest.raises(UserBanned):
        PendingDocuments(world.uow)(ann.id)
