"""Accept a file: check the user, quota, size and type, store it, record it, queue its processing."""

from __future__ import annotations

import hashlib
import uuid

import attrs
import structlog

from application.ports.clock import Clock
from application.ports.extractor import ExtractorRegistry
from application.ports.job_queue import JobQueue, JobQueueUnavailable
from application.ports.storage import FileStorage
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from application.use_cases.delete_document import discard_blobs, remove_document
from domain.analytics import AnalyticsEvent, EventType
from domain.documents import Document, DocumentStatus, clean_filename
from domain.errors import DocumentQuotaExceeded, FileEmpty, FileTooLarge, UnsupportedFileType
from domain.file_kinds import is_encrypted_office, sniff_kind
from domain.tiers import TierPolicy

log = structlog.get_logger(__name__)


@attrs.frozen(kw_only=True)
class UploadDocumentCommand:
    user_id: uuid.UUID
    filename: str
    data: bytes = attrs.field(repr=False)
    password: str | None = attrs.field(default=None, repr=False)  # opens a password-protected PDF/DOCX/XLSX


@attrs.frozen(kw_only=True)
class UploadResult:
    document: Document
    duplicate: bool = False


@attrs.define
class UploadDocument:
    uow: UnitOfWork
    storage: FileStorage
    queue: JobQueue
    extractors: ExtractorRegistry
    tiers: TierPolicy
    clock: Clock

    def max_file_bytes(self, user_id: uuid.UUID) -> int:
        """The size cap for this user, so a shell can stop reading a body early."""
        with self.uow as uow:
            return self.tiers.for_tier(active_user(uow, user_id).tier).max_file_bytes

    def album(self, user_id: uuid.UUID, filename: str, photos: list[bytes]) -> UploadResult:
        """Photos sent together as one document of pages (a PDF made of them), then as an upload."""
        return self(UploadDocumentCommand(user_id=user_id, filename=filename,
                                          data=self.extractors.bundle_photos(photos)))

    def __call__(self, command: UploadDocumentCommand) -> UploadResult:
        data = command.data
        with self.uow as uow:
            user = active_user(uow, command.user_id)
            limits = self.tiers.for_tier(user.tier)
            if not data:
                raise FileEmpty("The file is empty.")
            if len(data) > limits.max_file_bytes:
                raise FileTooLarge(
                    f"The file is {len(data) / 2**20:.1f} MiB; the {user.tier.value} tier accepts up to "
                    f"{limits.max_file_bytes / 2**20:.0f} MiB.",
                    size=len(data), limit=limits.max_file_bytes,
                )
            plain = data  # an encrypted .docx/.xlsx is decrypted first: its kind shows only then
            if command.password and is_encrypted_office(data):
                plain = self.extractors.decrypt_office(data, password=command.password)
            kind = sniff_kind(plain, command.filename)
            if kind not in self.extractors.supported_kinds():
                raise UnsupportedFileType(f"{kind.value} files are not supported yet.", kind=kind.value)
            sha256 = hashlib.sha256(data).hexdigest()
            uow.users.lock(user.id)  # concurrent uploads of one user: the checks and the insert one at a time
            existing = uow.documents.get_by_sha256(user.id, sha256)
            if existing is not None and existing.status is not DocumentStatus.FAILED:
                return UploadResult(document=existing, duplicate=True)
            replaced = existing  # the same bytes failed before (e.g. without their password): sent
            if replaced is not None:  # again, they take the failed document's place, not a second one
                remove_document(uow, user, replaced, self.clock.now())
            # failed documents do not count: they hold nothing to ask about
            if limits.max_documents is not None and uow.documents.count_for_owner(
                    user.id, include_failed=False) >= limits.max_documents:
                raise DocumentQuotaExceeded(
                    f"The {user.tier.value} tier keeps up to {limits.max_documents} documents; "
                    "delete one or upgrade to add more.",
                    limit=limits.max_documents,
                )
            stored = plain
            if command.password and plain is data:
                stored = self.extractors.unlock(data, kind=kind, password=command.password)
            key = self.storage.put(stored)  # unlocked once here: the password is never stored
            try:
                now = self.clock.now()
                document = Document(owner_id=user.id, filename=clean_filename(command.filename), kind=kind,
                                    size=len(data), sha256=sha256, storage_key=key, created_at=now, updated_at=now)
                uow.documents.add(document)
                user.active_document_id, user.updated_at = document.id, now
                uow.users.update(user)
                uow.events.add(AnalyticsEvent(user_id=user.id, type=EventType.DOCUMENT_UPLOADED,
                                              data={"kind": kind.value, "size": len(data)}, created_at=now))
                uow.commit()
            except BaseException:
                self.storage.delete(key)
                raise
        if replaced is not None:
            discard_blobs(self.storage, replaced.blob_keys())
        try:
            self.queue.enqueue_processing(document.id, priority=limits.queue_priority)
        except JobQueueUnavailable:
            log.warning("enqueue_failed_document_left_pending", document_id=str(document.id))
        return UploadResult(document=document)
