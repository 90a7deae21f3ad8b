"""FailDocument: a document whose job gave up is failed with a readable reason and its owner told."""

from __future__ import annotations

import uuid

from application.use_cases.fail_document import FailDocument
from domain.analytics import EventType
from domain.documents import DocumentStatus
from tests.unit.conftest import World


def fail(world: World) -> FailDocument:
    return FailDocument(uow=world.uow, notifier=world.notifier, clock=world.clock)


def test_a_pending_document_is_failed_with_a_reason_and_the_owner_notified(world: World) -> None:
    document = world.upload(world.add_user(), "Alpha paragraph.")
    failed = fail(world)(document.id)
    assert failed is not None and failed.status is DocumentStatus.FAILED
    stored = world.document(document.id)
    assert (stored.status, stored.error_code) == (DocumentStatus.FAILED, "service_unavailable")
    assert "upload it again later" in stored.error_message
    assert world.notifier.sent == [("failed", document.id, DocumentStatus.FAILED)]
    assert [e.type for e in world.store.events][-1] is EventType.DOCUMENT_FAILED


def test_a_completed_document_is_left_alone(world: World) -> None:
    document = world.ready_document(world.add_user(), "Alpha paragraph.")
    world.notifier.sent.clear()
    assert fail(world)(document.id, code="x", message="y").status is DocumentStatus.COMPLETED
    assert world.document(document.id).status is DocumentStatus.COMPLETED and world.notifier.sent == []


def test_a_missing_document_is_none(world: World) -> None:
    assert fail(world)(uuid.uuid4()) is None


def test_a_failed_upload_gives_back_the_previous_active_document(world: World) -> None:
    """Issue 16: a failed upload became the active document and the next question got
    "I could not read this document"."""
    user = world.add_user()
    ready = world.ready_document(user, "Alpha paragraph.")
    broken = world.upload(user, "Beta paragraph.")
    assert world.user(user.id).active_document_id == broken.id  # an upload is active at once
    fail(world)(broken.id)
    assert world.user(user.id).active_document_id == ready.id
    assert world.notifier.active is not None and world.notifier.active.id == ready.id


def test_a_failed_first_upload_leaves_no_active_document(world: World) -> None:
    user = world.add_user()
    broken = world.upload(user, "Beta paragraph.")
    fail(world)(broken.id)
    assert world.user(user.id).active_document_id is None and world.notifier.active is None


def test_a_failure_of_a_document_that_is_not_active_changes_nothing(world: World) -> None:
    user = world.add_user()
    broken = world.upload(user, "Beta paragraph.")
    ready = world.ready_document(user, "Alpha paragraph.")
    world.store.users[user.id].active_document_id = ready.id
    fail(world)(broken.id)
    assert world.user(user.id).active_document_id == ready.id
