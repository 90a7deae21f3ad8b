"""Concurrent uploads by one user at the edge of the tier's document quota, on PostgreSQL (where,
unlike SQLite, two upload transactions can run side by side): the quota holds exactly."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from dependency_injector import providers
from sqlalchemy import text

from adapters.persistence.migrate import upgrade
from application.use_cases.upload_document import UploadDocumentCommand
from config.bootstrap import build_container
from application.use_cases.ensure_user import EnsureEmailUserCommand
from domain.errors import DocumentQuotaExceeded
from tests.fakes import FakeQueue

pytestmark = pytest.mark.postgres
RACERS = 3


class _Rendezvous:
    """Storage whose ``put`` waits (up to a second) until every racer is storing: uploads that are
    not kept apart all pass their quota check before any of them inserts."""

    def __init__(self, real: object) -> None:
        self.real, self.arrived, self.condition = real, 0, threading.Condition()

    def put(self, data: bytes) -> str:
        with self.condition:
            self.arrived += 1
            self.condition.notify_all()
            self.condition.wait_for(lambda: self.arrived >= RACERS, timeout=1.0)
        return self.real.put(data)

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


def test_concurrent_uploads_never_exceed_the_document_quota(
        make_postgres_database: Callable[[], str], tmp_path: Path) -> None:
    url = make_postgres_database()
    upgrade(url)
    container = build_container(database_url=url, home=tmp_path / "var", queue_backend="inline")
    container.queue.override(providers.Object(FakeQueue()))
    user = container.ensure_user().email(EnsureEmailUserCommand(email="racer@example.com"))  # free tier
    quota = container.tiers().for_tier(user.tier).max_documents
    upload = container.upload_document()
    for n in range(quota - 1):
        upload(UploadDocumentCommand(user_id=user.id, filename=f"n{n}.md", data=f"# Note {n}\n".encode()))
    container.storage.override(providers.Object(_Rendezvous(container.storage())))
    outcomes: list[str] = []

    def race(n: int) -> None:
        try:
            container.upload_document()(UploadDocumentCommand(user_id=user.id, filename=f"r{n}.md",
                                                               data=f"# Racer {n}\n".encode()))
            outcomes.append("stored")
        except DocumentQuotaExceeded:
            outcomes.append("quota")

    racers = [threading.Thread(target=race, args=(n,)) for n in range(RACERS)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(60)
    assert sorted(outcomes) == ["quota"] * (RACERS - 1) + ["stored"]
    with container.engine().connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM documents WHERE owner_id = :id"), {"id": user.id})
        assert stored.scalar() == quota
    container.engine().dispose()
