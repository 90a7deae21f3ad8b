"""UploadDocument: checks, storage, record, queue; nothing is written when a check fails."""

from __future__ import annotations

import copy
import hashlib
import uuid

import pytest

from application.use_cases.upload_document import UploadDocumentCommand
from domain.analytics import EventType
from domain.documents import DocumentKind, DocumentStatus
from domain.errors import (
    DocumentQuotaExceeded,
    DomainError,
    FileEmpty,
    FileTooLarge,
    UnsupportedFileType,
    UserBanned,
    UserInactive,
    UserNotFound,
)
from domain.tiers import QueuePriority, TierPolicy
from domain.users import Tier, UserStatus
from tests.fakes import FakeQueue
from tests.unit.conftest import World


def upload(world: World, user_id, data: bytes, filename: str = "notes.txt"):  # noqa: ANN001, ANN201
    return world.upload_use_case()(UploadDocumentCommand(user_id=user_id, filename=filename, data=data))


@pytest.mark.parametrize(("tier", "priority"), [(Tier.FREE, QueuePriority.LOW), (Tier.PREMIUM, QueuePriority.DEFAULT),
                                                (Tier.ENTERPRISE, QueuePriority.HIGH)])
def test_upload(world: World, tier: Tier, priority: QueuePriority) -> None:
    user = world.add_user(tier=tier)
    data = b"Quarterly report.\n\nRevenue was 42."
    result = upload(world, user.id, data, filename="../reports/Q3 report.md")
    document = result.document
    assert not result.duplicate
    stored = world.document(document.id)
    assert stored == document
    assert stored.status is DocumentStatus.PENDING
    assert stored.kind is DocumentKind.MARKDOWN
    assert stored.filename == "Q3 report.md"
    assert stored.size == len(data) and stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.owner_id == user.id
    assert world.storage.blobs == {stored.storage_key: data}
    assert world.user(user.id).active_document_id == document.id
    assert world.queue.jobs == [(document.id, priority)]
    [event] = world.store.events
    assert event.type is EventType.DOCUMENT_UPLOADED and event.user_id == user.id
    assert event.data == {"kind": "markdown", "size": len(data)}
    assert world.uow.commits == 2  # the user, then the upload


def test_the_storage_key_never_comes_from_the_filename(world: World) -> None:
    user = world.add_user()
    document = upload(world, user.id, b"hello", filename="../../etc/passwd").document
    assert "passwd" not in document.storage_key and ".." not in document.storage_key


def test_a_duplicate_returns_the_same_document(world: World) -> None:
    user = world.add_user()
    first = upload(world, user.id, b"same bytes", filename="a.txt").document
    second = upload(world, user.id, b"same bytes", filename="b.txt")
    assert second.duplicate and second.document.id == first.id
    assert len(world.store.documents) == 1 and len(world.storage.blobs) == 1
    assert len(world.queue.jobs) == 1


def test_the_same_bytes_from_another_user_is_not_a_duplicate(world: World) -> None:
    ann, bob = world.add_user(), world.add_user()
    first = upload(world, ann.id, b"same bytes").document
    second = upload(world, bob.id, b"same bytes")
    assert not second.duplicate and second.document.id != first.id


def test_a_failed_duplicate_may_be_uploaded_again(world: World) -> None:
    user = world.add_user()
    first = upload(world, user.id, b"bytes").document
    with world.uow as uow:
        document = uow.documents.get(first.id)
        document.fail(code="file_corrupt", message="bad", now=world.clock.now())
        uow.documents.update(document)
        uow.commit()
    again = upload(world, user.id, b"bytes")
    assert not again.duplicate and again.document.id != first.id
    # the new upload takes the failed one's place: one document, one stored file
    assert list(world.store.documents) == [again.document.id]
    assert list(world.storage.blobs) == [again.document.storage_key]


def _fail(world: World, document_id: uuid.UUID, code: str = "file_corrupt") -> None:
    with world.uow as uow:
        document = uow.documents.get(document_id)
        document.fail(code=code, message="bad", now=world.clock.now())
        uow.documents.update(document)
        uow.commit()


def test_failed_documents_do_not_use_up_the_quota(world: World) -> None:
    user = world.add_user()
    for n in range(3):
        _fail(world, upload(world, user.id, f"broken {n}".encode()).document.id, code="password_required")
    for n in range(10):
        upload(world, user.id, f"document {n}".encode())
    assert len(world.store.documents) == 13
    with pytest.raises(DocumentQuotaExceeded):
        upload(world, user.id, b"document 11")


def test_a_broken_queue_still_records_the_document_as_pending(world: World) -> None:
    world.queue = FakeQueue(broken=True)
    user = world.add_user()
    document = upload(world, user.id, b"hello").document
    stored = world.document(document.id)
    assert stored.status is DocumentStatus.PENDING
    assert world.storage.blobs == {stored.storage_key: b"hello"}
    assert world.queue.jobs == []


def test_max_file_bytes_is_the_tier_cap(world: World) -> None:
    world.tiers = TierPolicy.with_overrides({"premium": {"max_file_bytes": 1234}})
    user = world.add_user(tier=Tier.PREMIUM)
    assert world.upload_use_case().max_file_bytes(user.id) == 1234


def test_the_eleventh_document_of_a_free_user_is_refused(world: World) -> None:
    user = world.add_user()
    for n in range(10):
        upload(world, user.id, f"document {n}".encode())
    with pytest.raises(DocumentQuotaExceeded) as caught:
        upload(world, user.id, b"document 11")
    assert caught.value.details == {"limit": 10}
    assert len(world.store.documents) == 10


def test_a_duplicate_does_not_count_against_the_quota(world: World) -> None:
    user = world.add_user()
    for n in range(10):
        upload(world, user.id, f"document {n}".encode())
    assert upload(world, user.id, b"document 3").duplicate


def test_enterprise_has_no_document_quota(world: World) -> None:
    world.tiers = TierPolicy.with_overrides({"free": {"max_documents": 1}})
    user = world.add_user(tier=Tier.ENTERPRISE)
    for n in range(15):
        upload(world, user.id, f"document {n}".encode())
    assert len(world.store.documents) == 15


# --- every refusal leaves no trace -----------------------------------------------------------


def _refusal_cases() -> list[tuple[str, dict, bytes, str, type[DomainError]]]:
    return [
        ("empty", {}, b"", "a.txt", FileEmpty),
        ("too large", {"tier": Tier.FREE}, b"x" * 101, "a.txt", FileTooLarge),
        ("unknown binary", {}, b"\x00\x01\x02garbage\x00", "a.bin", UnsupportedFileType),
        ("empty zip", {}, b"PK\x05\x06" + b"\x00" * 18, "a.docx", UnsupportedFileType),
        ("kind without extractor", {}, b"%PDF-1.7\n", "a.pdf", UnsupportedFileType),
        ("banned", {"status": UserStatus.BANNED}, b"hello", "a.txt", UserBanned),
        ("inactive", {"status": UserStatus.INACTIVE}, b"hello", "a.txt", UserInactive),
        ("quota", {"quota": True}, b"one more", "a.txt", DocumentQuotaExceeded),
    ]


@pytest.mark.parametrize(("case", "user_kw", "data", "filename", "error"), _refusal_cases(),
                         ids=[c[0] for c in _refusal_cases()])
def test_a_refused_upload_writes_nothing(world: World, case: str, user_kw: dict, data: bytes, filename: str,
                                         error: type[DomainError]) -> None:
    world.tiers = TierPolicy.with_overrides({"free": {"max_file_bytes": 100, "max_documents": 2}})
    quota = user_kw.pop("quota", False)
    user = world.add_user(**user_kw)
    if quota:
        upload(world, user.id, b"first")
        upload(world, user.id, b"second")
    before_store, before_blobs = copy.deepcopy(world.store), dict(world.storage.blobs)
    before_commits, before_jobs = world.uow.commits, list(world.queue.jobs)
    with pytest.raises(error) as caught:
        upload(world, user.id, data, filename)
    assert caught.value.code == error.code
    assert world.storage.blobs == before_blobs
    assert world.uow.commits == before_commits
    assert world.store == before_store
    assert world.queue.jobs == before_jobs


def test_file_too_large_says_the_size_and_limit(world: World) -> None:
    world.tiers = TierPolicy.with_overrides({"free": {"max_file_bytes": 100}})
    user = world.add_user()
    with pytest.raises(FileTooLarge) as caught:
        upload(world, user.id, b"x" * 101)
    assert caught.value.details == {"size": 101, "limit": 100}
    upload(world, user.id, b"x" * 100)  # exactly the cap is fine


def test_an_unknown_user_is_refused(world: World) -> None:
    with pytest.raises(UserNotFound):
        upload(world, uuid.uuid4(), b"hello")
    assert world.storage.blobs == {} and world.uow.commits == 0


def test_a_failing_commit_removes_the_stored_blob(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    user = world.add_user()

    def broken_commit() -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(world.uow, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        upload(world, user.id, b"hello")
    assert world.storage.blobs == {}
    assert world.store.documents == {} and world.queue.jobs == []
