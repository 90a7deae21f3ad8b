"""Domain errors. Every error carries a stable machine code that shells map to HTTP statuses,
translated bot messages and CLI exit codes; the message is safe to show to the user."""

from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """Base class: ``code`` is stable, ``message`` is readable, ``details`` is JSON-safe."""

    code: str = "domain_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    code = "invalid_input"


class UserNotFound(DomainError):
    code = "user_not_found"


class UserBanned(DomainError):
    code = "user_banned"


class UserInactive(DomainError):
    code = "user_inactive"


class EmailTaken(DomainError):
    code = "email_taken"


class InvalidCredentials(DomainError):
    code = "invalid_credentials"


class ApiKeyNotFound(DomainError):
    """Also raised for another user's key: its existence is never revealed."""

    code = "api_key_not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"


class DocumentNotFound(DomainError):
    """Also raised for another user's document: its existence is never revealed."""

    code = "document_not_found"


class DocumentNotReady(DomainError):
    code = "document_not_ready"


class DocumentFailed(DomainError):
    code = "document_failed"


class NoActiveDocument(DomainError):
    code = "no_active_document"


class DocumentQuotaExceeded(DomainError):
    code = "document_quota_exceeded"


class FileEmpty(DomainError):
    code = "file_empty"


class FileTooLarge(DomainError):
    code = "file_too_large"


class UnsupportedFileType(DomainError):
    code = "unsupported_file_type"


class FileEncrypted(DomainError):
    code = "file_encrypted"


class FileCorrupt(DomainError):
    code = "file_corrupt"


class NoTextFound(DomainError):
    code = "no_text_found"


class PasswordRequired(DomainError):
    """The file needs a password (none was given, or the one given is wrong)."""

    code = "password_required"


class FileTooComplex(DomainError):
    """The file exceeds a tier cap on pages, characters or processing time."""

    code = "file_too_complex"


class HostileFile(DomainError):
    """The file is built to exhaust resources (zip bomb, XML entity expansion) and was refused unread."""

    code = "hostile_file"


class ServiceUnavailable(DomainError):
    """A shared service (Redis, the queue) is down for a moment; retrying later may succeed."""

    code = "service_unavailable"


class RateLimited(DomainError):
    """A request window ran out; ``window`` names it and ``reset_at`` says when it resets."""

    code = "rate_limited"

    def __init__(self, message: str, *, window: str, limit: int, reset_at: datetime) -> None:
        super().__init__(message, window=window, limit=limit, reset_at=reset_at.isoformat())
        self.window = window
        self.limit = limit
        self.reset_at = reset_at


class ThreadNotFound(DomainError):
    """Also raised for another user's thread: its existence is never revealed."""

    code = "thread_not_found"


class ThreadDocumentsGone(DomainError):
    """A document the thread is about was deleted: the thread cannot go on (start a new one)."""

    code = "thread_documents_gone"


class ThumbnailNotFound(DomainError):
    code = "thumbnail_not_found"


class ChunkNotFound(DomainError):
    """A citation names a chunk its document does not have (re-processed since, or made up)."""

    code = "chunk_not_found"


class PageNotFound(DomainError):
    """A page number the document does not have."""

    code = "page_not_found"


class SessionEnded(InvalidCredentials):
    """The token's login session was ended (logout, a reused refresh token, a password change)."""

    code = "session_ended"


class LoginThrottled(RateLimited):
    """Too many login attempts for this account from this address (or for the account, or from the
    address): none is checked until ``reset_at``."""

    code = "login_throttled"


class TokenExpired(InvalidCredentials):
    """The token was valid but has expired: refresh it or log in again."""

    code = "token_expired"


class RegistrationClosed(DomainError):
    code = "registration_closed"


class LinkRefused(DomainError):
    """A Telegram account cannot be linked to this account: ``reason`` is ``other_telegram`` (this
    account has another Telegram account already: unlink it first) or ``has_credentials`` (the
    Telegram account has an email or password of its own: two password accounts are not merged)."""

    code = "link_refused"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, reason=reason)
        self.reason = reason


class StoredFileUnreadable(DomainError):
    """A stored file cannot be decrypted: its key is not configured, or it failed its integrity check
    (altered or damaged); it is refused, never returned as garbage."""

    code = "stored_file_unreadable"


class BackupFailed(DomainError):
    """A backup or restore could not be made (a tool missing or too old, the database refused, a
    backup folder damaged or incomplete); nothing was restored."""

    code = "backup_failed"


class RestoreRefused(DomainError):
    """The restore target (database or file storage) is not empty, or is another kind of database
    than the backup's; ``--force`` replaces a non-empty target."""

    code = "restore_refused"
