"""Two workers completing the same document at the same time on PostgreSQL (a worker presumed dead
that was not): the conditional completion lets exactly one of them store it, one analytics event,
one set of chunks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from dependency_injector import providers
from sqlalchemy import text

from adapters.persistence.migrate import upgrade
from application.use_cases.upload_document import UploadDocumentCommand
from config.bootstrap import build_container, local_user
from domain.documents import DocumentStatus
from tests.fakes import FakeQueue

pytestmark = pytest.mark.postgres


class _Gate:
    """Extractors whose extraction waits until both workers are extracting."""

    def __init__(self, real: object, parties: int) -> None:
        self.real, self.barrier = real, threading.Barrier(parties, timeout=30)

    def supported_kinds(self):  # noqa: ANN201
        return self.real.supported_kinds()

    def for_kind(self, kind):  # noqa: ANN001, ANN201
        extractor, barrier = self.real.for_kind(kind), self.barrier

        class Gated:
            def extract(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                barrier.wait()
                return extractor.extract(*args, **kwargs)

        return Gated()


def test_two_workers_completing_one_document_store_one_completion(
        make_postgres_database: Callable[[], str], tmp_path: Path) -> None:
    url = make_postgres_database()
    upgrade(url)
    container = build_container(database_url=url, home=tmp_path / "var", queue_backend="inline")
    user = local_user(container)
    container.queue.override(providers.Object(FakeQueue()))  # left pending: the test runs the two 'workers' itself
    document = container.upload_document()(UploadDocumentCommand(
        user_id=user.id, filename="terms.md", data=b"# Terms\n\nInvoices are payable within 30 days.\n")).document
    container.extractors.override(providers.Object(_Gate(container.extractors(), 2)))
    statuses: list[DocumentStatus | None] = []
    workers = [threading.Thread(target=lambda: statuses.append(container.process_document()(document.id)))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert statuses == [DocumentStatus.COMPLETED, DocumentStatus.COMPLETED]
    with container.engine().connect() as connection:
        events = connection.execute(text("SELECT count(*) FROM analytics_events WHERE type = 'document_processed'"))
        assert events.scalar() == 1
        chunks = connection.execute(text("SELECT count(*), count(DISTINCT ordinal) FROM chunks WHERE document_id = :id"),
                                    {"id": document.id}).one()
        assert chunks[0] == chunks[1] >= 1
    container.engine().dispose()
