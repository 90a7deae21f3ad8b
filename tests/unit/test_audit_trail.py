"""The audit log at the use-case layer: what the sensitive use cases append (with fakes; the HTTP
suite, tests/e2e/test_api_audit.py, checks every listed operation end to end), AuditTrail's checks
and pages, and the row-level security scope the access checks give the unit of work."""

from __future__ import annotations

import pytest

from application.use_cases.access import active_user, admin_user
from application.use_cases.api_keys import ApiKeys
from application.use_cases.audit_trail import AuditPage, AuditTrail
from application.use_cases.clear_documents import ClearDocuments
from application.use_cases.delete_document import DeleteDocument
from application.use_cases.get_analytics import GetAnalytics
from domain.analytics import AuditEntry, AuditFilter
from domain.errors import InvalidCredentials, InvalidInput, LoginThrottled, PermissionDenied
from domain.users import Role
from tests.unit.conftest import World
from tests.unit.test_log_in import log_in, registered


def actions(world: World) -> list[tuple[str, str]]:
    return [(e.action, e.target) for e in sorted(world.store.audit, key=lambda e: e.created_at)]


def test_document_deletions_are_audited_with_the_change(world: World) -> None:
    user = world.add_user()
    first, second, third = (world.ready_document(user, f"Text {n}.", f"n{n}.txt") for n in range(3))
    DeleteDocument(world.uow, world.storage, world.clock)(user.id, first.id)
    assert actions(world) == [("document_deleted", str(first.id))]
    assert world.store.audit[0].data == {"filename": "n0.txt"} and world.store.audit[0].actor_id == user.id
    assert ClearDocuments(world.uow, world.storage, world.clock)(user.id) == 2
    assert actions(world)[-1] == ("documents_cleared", str(user.id)) and world.store.audit[-1].data == {"documents": 2}
    assert {second.id, third.id}.isdisjoint(world.store.documents)


def test_api_keys_created_and_revoked_are_audited_once(world: World) -> None:
    user = world.add_user()
    keys = ApiKeys(world.uow, world.clock)
    new = keys.create(user.id, "ci")
    keys.revoke(user.id, new.api_key.id)
    keys.revoke(user.id, new.api_key.id)  # again: nothing changes, nothing more recorded
    assert actions(world) == [("api_key_created", str(new.api_key.id)), ("api_key_revoked", str(new.api_key.id))]
    assert new.key not in repr(world.store.audit)  # never the secret


def test_failed_and_throttled_sign_ins_are_audited_apart_from_the_attempt(world: World) -> None:
    registered(world)
    for _ in range(10):  # the account-and-address window's attempts
        with pytest.raises(InvalidCredentials):
            log_in(world)(" A@B.co ", "wrong password")
    with pytest.raises(LoginThrottled):
        log_in(world)("a@b.co", "x" * 8)
    reasons = [(e.action, e.target, e.actor_id, e.data["reason"]) for e in world.store.audit]
    assert reasons[:10] == [("sign_in_failed", "a@b.co", None, "invalid_credentials")] * 10
    assert reasons[10:] == [("sign_in_failed", "a@b.co", None, "throttled")]


def test_a_global_analytics_read_is_audited_before_it_is_read_and_only_for_administrators(world: World) -> None:
    admin, user = world.add_user(role=Role.ADMIN), world.add_user()
    with pytest.raises(PermissionDenied):
        GetAnalytics(world.uow, world.clock)(user.id, scope="global")
    GetAnalytics(world.uow, world.clock)(user.id)  # one's own: not audited
    assert world.store.audit == []
    GetAnalytics(world.uow, world.clock)(admin.id, scope="global", days=7)
    assert [(e.action, e.actor_id, e.data) for e in world.store.audit] == [
        ("global_analytics_read", admin.id, {"days": 7})]


def test_the_trail_is_for_administrators_newest_first_in_pages(world: World) -> None:
    admin, user = world.add_user(role=Role.ADMIN), world.add_user()
    with world.uow as uow:
        for n in range(5):
            world.clock.advance(1)
            uow.audit.add(AuditEntry(actor_id=user.id, action="export", target=f"t{n}", created_at=world.clock.now()))
        uow.commit()
    trail = AuditTrail(world.uow)
    with pytest.raises(PermissionDenied):
        trail(user.id, AuditFilter())
    first = trail(admin.id, AuditFilter(actor_id=user.id), limit=3)
    assert [e.target for e in first.entries] == ["t4", "t3", "t2"] and first.next_position is not None
    last = trail(admin.id, AuditFilter(actor_id=user.id), after=first.next_position, limit=3)
    assert [e.target for e in last.entries] == ["t1", "t0"] and last.next_position is None
    for bad in ({"limit": 0}, {"limit": 201}):
        with pytest.raises(InvalidInput):
            trail(admin.id, AuditFilter(), **bad)  # type: ignore[arg-type]
    now = world.clock.now()
    assert trail(admin.id, AuditFilter(since=now, until=now)) == AuditPage(entries=[], next_position=None)


def test_access_checks_scope_the_unit_of_work_for_row_level_security(world: World) -> None:
    admin, user = world.add_user(role=Role.ADMIN), world.add_user()
    with world.uow as uow:
        active_user(uow, user.id)
        assert (uow.acting_for, uow.acting_as_admin) == (user.id, False)
        with pytest.raises(PermissionDenied):
            admin_user(uow, user.id)
        assert uow.acting_as_admin is False  # refused: no wider scope
        admin_user(uow, admin.id)
        assert (uow.acting_for, uow.acting_as_admin) == (admin.id, True)
