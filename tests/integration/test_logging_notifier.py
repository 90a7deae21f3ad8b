import uuid
from datetime import UTC, datetime

import pytest
import structlog
from structlog.testing import capture_logs

from adapters.notify.logging import LoggingNotifier
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.users import User

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def default_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that configured logging at WARNING before (an in-process bot or CLI test) has the
    module's logger cached as a WARNING filter, which drops INFO events before capture_logs sees them."""
    import adapters.notify.logging as notify_logging

    structlog.reset_defaults()
    monkeypatch.setattr(notify_logging, "log", structlog.get_logger(notify_logging.__name__))


def make() -> tuple[User, Document]:
    user = User(email="a@example.com", created_at=NOW, updated_at=NOW)
    document = Document(owner_id=user.id, filename="report.pdf", kind=DocumentKind.PDF, size=10, sha256="0" * 64,
                        storage_key=uuid.uuid4().hex, created_at=NOW, updated_at=NOW)
    return user, document


def test_completed() -> None:
    user, document = make()
    document.complete(text="secret contents", page_count=1, now=NOW)
    with capture_logs() as logs:
        LoggingNotifier().document_completed(user, document)
    assert logs == [{"event": "document_completed", "log_level": "info", "user_id": str(user.id),
                     "document_id": str(document.id), "status": DocumentStatus.COMPLETED.value}]


def test_failed() -> None:
    user, document = make()
    document.fail(code="file_corrupt", message="broken", now=NOW)
    with capture_logs() as logs:
        LoggingNotifier().document_failed(user, document)
    [entry] = logs
    assert entry["event"] == "document_failed" and entry["log_level"] == "warning"
    assert entry["user_id"] == str(user.id) and entry["document_id"] == str(document.id)
    assert entry["error_code"] == "file_corrupt"
