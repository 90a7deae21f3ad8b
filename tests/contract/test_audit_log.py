"""The audit log's contract on the fakes, SQLite and PostgreSQL: filters, keyset pages newest first,
and the origin stamped from the request context."""

from __future__ import annotations

import uuid

import pytest
import structlog

from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from adapters.system.request_context import LogContextRequestContext
from application.ports.unit_of_work import UnitOfWork
from domain.analytics import AuditEntry, AuditFilter
from tests.contract.test_repositories import at

ADMIN, OTHER = uuid.uuid4(), uuid.uuid4()


def _entries(uow: UnitOfWork) -> list[AuditEntry]:
    entries = [AuditEntry(actor_id=ADMIN if i % 2 else OTHER, action="set_tier" if i % 3 else "sign_in",
                          target=f"t{i % 4}", created_at=at(i // 2), client_address="203.0.113.7",
                          request_id=f"r{i}") for i in range(12)]  # pairs share a timestamp: the id breaks ties
    with uow:
        for entry in entries:
            uow.audit.add(entry)
        uow.commit()
    return entries


def test_filters_combine_and_pages_walk_newest_first_without_gaps(uow: UnitOfWork) -> None:
    entries = _entries(uow)
    where = AuditFilter(actor_id=ADMIN, action="set_tier", since=at(1), until=at(6))
    expected = sorted((e for e in entries if e.actor_id == ADMIN and e.action == "set_tier" and at(1) <= e.created_at < at(6)),
                      key=lambda e: (e.created_at, e.id), reverse=True)
    walked: list[AuditEntry] = []
    after = None
    with uow:
        while page := uow.audit.page(where, after=after, limit=2):
            walked.extend(page)
            after = (page[-1].created_at, page[-1].id)
        assert [e.id for e in walked] == [e.id for e in expected] and len(expected) >= 3
        assert [e.request_id for e in uow.audit.page(AuditFilter(target="t0"), limit=50)] == ["r8", "r4", "r0"]
        assert uow.audit.page(AuditFilter(), limit=50)[0] == max(entries, key=lambda e: (e.created_at, e.id))


def test_an_entry_without_origin_gets_the_requests(uow: UnitOfWork) -> None:
    if not isinstance(uow, SqlAlchemyUnitOfWork):
        pytest.skip("the fakes have no request context")
    uow.audit._context = LogContextRequestContext()  # type: ignore[attr-defined] - the container's, bound below
    with uow, structlog.contextvars.bound_contextvars(client_address="198.51.100.1", request_id="rid"):
        uow.audit.add(AuditEntry(actor_id=None, action="sign_in_failed", target="a@b.co", created_at=at(0)))
        uow.audit.add(AuditEntry(actor_id=None, action="sign_in_failed", target="a@b.co", created_at=at(1),
                                 request_id="own"))
        uow.commit()
        assert [(e.client_address, e.request_id) for e in uow.audit.list()] == [(None, "own"), ("198.51.100.1", "rid")]

