"""Telling a user that their document is ready or failed, on their channel."""

from __future__ import annotations

from typing import Protocol

from domain.documents import Document
from domain.users import User


class Notifier(Protocol):
    def document_completed(self, user: User, document: Document) -> None: ...
    def document_failed(self, user: User, document: Document, *, active: Document | None = None) -> None:
        """``active``: the user's active document now (the failed one never stays active), named in the notice."""
        ...
