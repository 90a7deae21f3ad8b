"""Documents processed by kind and status: a Notifier wrapping the configured one.

ProcessDocument tells the notifier once per document that reached an end (completed, or failed
with a reason), with the document, whatever the process (a worker, or the API's inline queue): so
counting there counts each processed document once, with its sniffed kind. A document whose owner
is gone is not notified and so not counted. The inner notifier is then called as before.
"""

from __future__ import annotations

from prometheus_client import Counter

from application.ports.notifier import Notifier
from domain.documents import Document, DocumentKind
from domain.users import User

DOCUMENTS = Counter("assistant_documents_processed_total", "Documents processed by kind and final status",
                    ["kind", "status"])
for _kind in DocumentKind:
    for _status in ("completed", "failed"):
        DOCUMENTS.labels(_kind.value, _status)


class MeteredNotifier:
    """Implements application.ports.notifier.Notifier around ``inner``."""

    def __init__(self, inner: Notifier) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def document_completed(self, user: User, document: Document) -> None:
        DOCUMENTS.labels(document.kind.value, "completed").inc()
        self.inner.document_completed(user, document)

    def document_failed(self, user: User, document: Document, *, active: Document | None = None) -> None:
        DOCUMENTS.labels(document.kind.value, "failed").inc()
        self.inner.document_failed(user, document, active=active)
