"""Notifications as structured log events, for the embedded profile and the CLI."""

from __future__ import annotations

import structlog

from domain.documents import Document
from domain.users import User

log = structlog.get_logger(__name__)


class LoggingNotifier:
    """Implements application.ports.notifier.Notifier; logs ids and codes, never document text."""

    def document_completed(self, user: User, document: Document) -> None:
        log.info("document_completed", user_id=str(user.id), document_id=str(document.id),
                 status=document.status.value)

    def document_failed(self, user: User, document: Document, *, active: Document | None = None) -> None:
        log.warning("document_failed", user_id=str(user.id), document_id=str(document.id),
                    status=document.status.value, error_code=document.error_code)
