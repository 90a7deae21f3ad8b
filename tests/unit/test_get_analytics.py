"""GetAnalytics: a user's own figures, everyone's for administrators, over a period of UTC days."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest

from application.use_cases.get_analytics import GetAnalytics, Percentiles, Scope
from domain.conversations import Conversation
from domain.documents import DocumentKind, DocumentStatus
from domain.errors import InvalidInput, PermissionDenied, UserBanned, UserNotFound
from domain.users import Role, User, UserStatus
from tests.unit.conftest import World


def analytics(world: World, actor: User, **kwargs: object):  # noqa: ANN201
    return GetAnalytics(uow=world.uow, clock=world.clock)(actor.id, **kwargs)  # type: ignore[arg-type]


def stored_question(world: World, user: User, *, at: datetime, latency_ms: int = 100, cached: bool = False,
                    tokens_in: int = 10, tokens_out: int = 2, cost_usd: float = 0.001) -> None:
    with world.uow as uow:
        uow.conversations.add(Conversation(
            user_id=user.id, document_id=None, question="Q?", answer="A.", model="m", latency_ms=latency_ms,
            cached=cached, tokens_in=0 if cached else tokens_in, tokens_out=0 if cached else tokens_out,
            cost_usd=0.0 if cached else cost_usd, created_at=at))
        uow.commit()


def test_own_analytics_after_real_questions_one_of_them_cached(world: World) -> None:
    user, other = world.add_user(), world.add_user()
    apples = world.ready_document(user, "Apples are red.")
    world.upload(user, "Still pending.", filename="later.md")
    world.ready_document(other, "Pears are green.")
    world.ask(user, "What colour are apples?", apples.id)
    world.ask(user, "what colour are apples", apples.id)  # the same question, normalised: from the cache
    world.ask(other, "What colour are pears?")

    report = analytics(world, user)
    assert report.scope is Scope.OWN and report.active_users is None
    assert (report.questions, report.cached, report.cache_hit_rate) == (2, 1, 0.5)
    assert (report.tokens_in, report.tokens_out) == (100, 10)  # the cached answer used no tokens
    today = world.clock.now().date()
    assert (report.first_day, report.last_day) == (today - timedelta(days=29), today)
    assert len(report.daily) == 30 and report.daily[-1].day == today and report.daily[-1].questions == 2
    assert report.documents_by_kind == {DocumentKind.TEXT: 1, DocumentKind.MARKDOWN: 1}
    assert report.documents_by_status == {DocumentStatus.COMPLETED: 1, DocumentStatus.PENDING: 1}
    assert report.latency_ms is not None


def test_global_analytics_cover_everyone_for_an_administrator(world: World) -> None:
    admin, ann, bob = world.add_user(role=Role.ADMIN), world.add_user(), world.add_user()
    now = world.clock.now()
    world.ready_document(ann, "Apples.")
    world.ready_document(bob, "Pears.")
    stored_question(world, ann, at=now, latency_ms=10)
    stored_question(world, bob, at=now - timedelta(days=1), latency_ms=30, cached=True)
    stored_question(world, bob, at=now - timedelta(days=40), latency_ms=9999)  # outside the period

    report = analytics(world, admin, scope="global")
    assert report.scope is Scope.GLOBAL
    assert (report.questions, report.cached, report.active_users) == (2, 1, 2)
    assert [(d.day, d.questions) for d in report.daily if d.questions] == [
        (now.date() - timedelta(days=1), 1), (now.date(), 1)]
    assert report.latency_ms == Percentiles(p50=10, p90=30, p99=30)
    assert report.documents_by_kind == {DocumentKind.TEXT: 2}
    assert analytics(world, admin).questions == 0  # an administrator's own scope is their own


def test_global_analytics_are_for_administrators_only(world: World) -> None:
    user = world.add_user()
    with pytest.raises(PermissionDenied):
        analytics(world, user, scope=Scope.GLOBAL)
    banned = world.add_user(status=UserStatus.BANNED)
    with pytest.raises(UserBanned):
        analytics(world, banned)
    banned_admin = world.add_user(role=Role.ADMIN, status=UserStatus.BANNED)
    with pytest.raises(UserBanned):
        analytics(world, banned_admin, scope="global")
    with pytest.raises(UserNotFound):
        GetAnalytics(uow=world.uow, clock=world.clock)(uuid.uuid4())


def test_an_empty_period(world: World) -> None:
    user = world.add_user()
    report = analytics(world, user, days=7)
    assert len(report.daily) == 7 and all(d.questions == 0 for d in report.daily)
    assert (report.questions, report.tokens_in, report.tokens_out, report.cost_usd) == (0, 0, 0, 0.0)
    assert report.cache_hit_rate is None and report.latency_ms is None
    assert report.documents_by_kind == {} and report.documents_by_status == {}


def test_the_period_is_whole_utc_days_today_included(world: World) -> None:
    user = world.add_user()
    today = world.clock.now().date()
    midnight = datetime.combine(today, datetime.min.time(), tzinfo=world.clock.now().tzinfo)
    stored_question(world, user, at=midnight)  # today's first instant: in a one-day period
    stored_question(world, user, at=midnight - timedelta(microseconds=1))  # yesterday: only in two days
    assert analytics(world, user, days=1).questions == 1
    two = analytics(world, user, days=2)
    assert two.questions == 2 and [d.day for d in two.daily] == [today - timedelta(days=1), today]
    assert len(analytics(world, user, days=365).daily) == 365


@pytest.mark.parametrize("days", [0, -1, 366])
def test_days_out_of_range_are_invalid(world: World, days: int) -> None:
    with pytest.raises(InvalidInput):
        analytics(world, world.add_user(), days=days)


def test_an_unknown_scope_is_invalid(world: World) -> None:
    with pytest.raises(InvalidInput):
        analytics(world, world.add_user(role=Role.ADMIN), scope="everyone")


def test_totals_and_cache_hit_rate(world: World) -> None:
    user = world.add_user()
    now = world.clock.now()
    for i in range(3):
        stored_question(world, user, at=now - timedelta(days=i), tokens_in=100, tokens_out=20, cost_usd=0.0125)
    stored_question(world, user, at=now, cached=True)
    report = analytics(world, user)
    assert (report.questions, report.tokens_in, report.tokens_out, report.cost_usd) == (4, 300, 60, 0.0375)
    assert report.cache_hit_rate == 0.25
    assert [d.questions for d in report.daily[-3:]] == [1, 1, 2] and report.daily[-1].cached == 1


def test_latency_percentiles_over_the_period(world: World) -> None:
    user = world.add_user()
    now = world.clock.now()
    for ms in range(10, 1010, 10):  # 100 questions, 10 ms .. 1000 ms, stored in no particular order
        stored_question(world, user, at=now - timedelta(minutes=ms % 7), latency_ms=ms)
    for _ in range(100):
        stored_question(world, user, at=now - timedelta(days=31), latency_ms=1)  # outside 30 days
    # nearest rank, reported as the upper bound of its bucket (domain.latency): 900 and 990 are "<= 1000"
    assert analytics(world, user).latency_ms == Percentiles(p50=500, p90=1000, p99=1000)
    assert analytics(world, user, days=365).latency_ms == Percentiles(p50=1, p90=800, p99=1000)


def test_first_day_is_in_utc_whatever_the_clock_zone(world: World) -> None:
    from datetime import timezone

    world.clock.current = datetime(2026, 3, 1, 1, 0, tzinfo=timezone(timedelta(hours=3)))  # 22:00 UTC, Feb 28
    report = analytics(world, world.add_user(), days=1)
    assert report.first_day == report.last_day == date(2026, 2, 28)
