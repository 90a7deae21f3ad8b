"""GetUsage, and the administrators' SetTier, SetStatus and ListUsers."""

from __future__ import annotations

import uuid

import pytest

from application.use_cases.get_usage import GetUsage
from application.use_cases.list_users import ListUsers
from application.use_cases.set_status import SetStatus
from application.use_cases.set_tier import SetTier
from domain.errors import PermissionDenied, UserBanned, UserNotFound
from domain.tiers import MiB, TierPolicy, Window, window_reset
from domain.users import Role, Tier, UserStatus
from tests.unit.conftest import World


def usage(world: World, user_id: uuid.UUID):  # noqa: ANN201
    return GetUsage(uow=world.uow, limiter=world.limiter, tiers=world.tiers)(user_id)


# --- GetUsage --------------------------------------------------------------------------------


def test_usage_of_a_new_free_user(world: World) -> None:
    user = world.add_user()
    report = usage(world, user.id)
    assert report.tier is Tier.FREE
    assert [(w.window, w.limit, w.used, w.remaining) for w in report.windows] == [
        (Window.MINUTE, 10, 0, 10), (Window.HOUR, 100, 0, 100), (Window.DAY, 500, 0, 500)]
    assert (report.documents_used, report.documents_allowed, report.max_file_bytes) == (0, 10, 20 * MiB)


def test_usage_after_some_questions_and_documents(world: World) -> None:
    user = world.add_user()
    world.upload(user, "Another document, still pending.")
    world.ready_document(user, "Apples are red.")
    for _ in range(3):
        world.ask(user, "What colour are apples?")
    world.clock.advance(60)  # a new minute: the minute window is fresh, hour and day are not
    world.ask(user, "Anything else?")
    report = usage(world, user.id)
    used = {w.window: (w.used, w.remaining) for w in report.windows}
    assert used == {Window.MINUTE: (1, 9), Window.HOUR: (4, 96), Window.DAY: (4, 496)}
    assert {w.window: w.reset_at for w in report.windows} == {
        w: window_reset(world.clock.now(), w) for w in Window}
    assert (report.documents_used, report.documents_allowed) == (2, 10)


def test_peeking_at_usage_counts_nothing(world: World) -> None:
    user = world.add_user()
    for _ in range(5):
        usage(world, user.id)
    assert all(w.used == 0 for w in usage(world, user.id).windows)


def test_an_exhausted_window_shows_nothing_remaining(world: World) -> None:
    world.tiers = TierPolicy.with_overrides({"free": {"per_minute": 2}})
    user = world.add_user()
    world.ready_document(user, "Text.")
    world.ask(user, "One?")
    world.ask(user, "Two?")
    minute = next(w for w in usage(world, user.id).windows if w.window is Window.MINUTE)
    assert (minute.used, minute.remaining) == (2, 0)


def test_enterprise_has_no_windows(world: World) -> None:
    user = world.add_user(tier=Tier.ENTERPRISE)
    world.ready_document(user, "Text.")
    world.ask(user, "Anything?")
    report = usage(world, user.id)
    assert report.windows == ()
    assert (report.documents_used, report.documents_allowed) == (1, None)


def test_a_banned_user_gets_no_usage(world: World) -> None:
    user = world.add_user(status=UserStatus.BANNED)
    with pytest.raises(UserBanned):
        usage(world, user.id)


# --- administration --------------------------------------------------------------------------


def test_set_tier_is_audited(world: World) -> None:
    admin, user = world.add_user(role=Role.ADMIN), world.add_user()
    world.clock.advance(30)
    changed = SetTier(world.uow, world.clock)(admin.id, user.id, Tier.PREMIUM)
    assert changed.tier is Tier.PREMIUM and world.user(user.id).tier is Tier.PREMIUM
    assert world.user(user.id).updated_at == world.clock.now()
    [entry] = world.store.audit
    assert (entry.actor_id, entry.action, entry.target) == (admin.id, "set_tier", str(user.id))
    assert entry.data == {"from": "free", "to": "premium"}
    assert entry.created_at == world.clock.now()


def test_a_new_tier_applies_to_the_limits_at_once(world: World) -> None:
    admin, user = world.add_user(role=Role.ADMIN), world.add_user()
    SetTier(world.uow, world.clock)(admin.id, user.id, Tier.ENTERPRISE)
    assert usage(world, user.id).windows == ()


@pytest.mark.parametrize("status", [UserStatus.BANNED, UserStatus.INACTIVE, UserStatus.ACTIVE])
def test_set_status_is_audited(world: World, status: UserStatus) -> None:
    admin, user = world.add_user(role=Role.ADMIN), world.add_user()
    changed = SetStatus(world.uow, world.clock)(admin.id, user.id, status)
    assert changed.status is status and world.user(user.id).status is status
    [entry] = world.store.audit
    assert (entry.actor_id, entry.action, entry.target) == (admin.id, "set_status", str(user.id))
    assert entry.data == {"from": "active", "to": status.value}


def test_an_admin_can_unban(world: World) -> None:
    admin, user = world.add_user(role=Role.ADMIN), world.add_user(status=UserStatus.BANNED)
    SetStatus(world.uow, world.clock)(admin.id, user.id, UserStatus.ACTIVE)
    assert world.user(user.id).status is UserStatus.ACTIVE


@pytest.mark.parametrize("status", [UserStatus.BANNED, UserStatus.INACTIVE])
def test_an_admin_cannot_ban_themself(world: World, status: UserStatus) -> None:
    admin = world.add_user(role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        SetStatus(world.uow, world.clock)(admin.id, admin.id, status)
    assert world.user(admin.id).status is UserStatus.ACTIVE
    assert world.store.audit == []


def test_admin_actions_on_unknown_users(world: World) -> None:
    admin = world.add_user(role=Role.ADMIN)
    with pytest.raises(UserNotFound):
        SetTier(world.uow, world.clock)(admin.id, uuid.uuid4(), Tier.PREMIUM)
    with pytest.raises(UserNotFound):
        SetStatus(world.uow, world.clock)(admin.id, uuid.uuid4(), UserStatus.BANNED)
    assert world.store.audit == []


def test_normal_users_are_denied(world: World) -> None:
    user, other = world.add_user(), world.add_user()
    before = world.uow.commits
    with pytest.raises(PermissionDenied):
        SetTier(world.uow, world.clock)(user.id, user.id, Tier.ENTERPRISE)
    with pytest.raises(PermissionDenied):
        SetStatus(world.uow, world.clock)(user.id, other.id, UserStatus.BANNED)
    with pytest.raises(PermissionDenied):
        ListUsers(world.uow)(user.id)
    assert world.uow.commits == before and world.store.audit == []
    assert world.user(user.id).tier is Tier.FREE and world.user(other.id).status is UserStatus.ACTIVE


def test_a_banned_admin_is_refused(world: World) -> None:
    admin, user = world.add_user(role=Role.ADMIN, status=UserStatus.BANNED), world.add_user()
    with pytest.raises(UserBanned):
        SetTier(world.uow, world.clock)(admin.id, user.id, Tier.PREMIUM)


def test_list_users(world: World) -> None:
    admin = world.add_user(role=Role.ADMIN)
    others = []
    for _ in range(4):
        world.clock.advance(1)
        others.append(world.add_user())
    listed = ListUsers(world.uow)(admin.id)
    assert [u.id for u in listed] == [admin.id] + [u.id for u in others]
    assert [u.id for u in ListUsers(world.uow)(admin.id, limit=2, offset=1)] == [others[0].id, others[1].id]


def test_list_users_searches_by_a_part_of_the_email(world: World) -> None:
    admin = world.add_user(role=Role.ADMIN, email="root@ops.example")
    ann = world.add_user(email="ann@example.com")
    world.add_user(email="bob@elsewhere.org")
    assert [u.id for u in ListUsers(world.uow)(admin.id, email_contains="  Example.COM ")] == [ann.id]
    assert len(ListUsers(world.uow)(admin.id, email_contains="   ")) == 3  # blank: no filter
    with pytest.raises(PermissionDenied):
        ListUsers(world.uow)(ann.id, email_contains="example")


def test_an_administrator_reads_one_user_whatever_their_status(world: World) -> None:
    admin = world.add_user(role=Role.ADMIN)
    banned = world.add_user(status=UserStatus.BANNED, email="gone@example.com")
    assert ListUsers(world.uow).one(admin.id, banned.id).email == "gone@example.com"
    with pytest.raises(UserNotFound):
        ListUsers(world.uow).one(admin.id, uuid.uuid4())
    with pytest.raises(PermissionDenied):
        ListUsers(world.uow).one(world.add_user().id, banned.id)
