"""Analytics rollups on SQLite and PostgreSQL: reports read the same figures before and after the job
has rolled the closed days up, the open days come from the rows, a day is rolled up once, and
everyone's document counts kept by triggers match a count of the documents at every step."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.tables import document_count_deltas, documents, usage_daily_global
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from adapters.persistence.usage_rollups import SqlAlchemyAnalyticsRollups
from domain.conversations import Conversation, period_start
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.latency import BOUNDS_MS, OVERFLOW, histogram
from domain.users import User

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = str(request.getfixturevalue("sqlite_url"))
    else:
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        url = make()
    migrate.upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _users(engine: Engine, count: int) -> list[User]:
    users = [User(email=f"{uuid.uuid4().hex[:8]}@example.com", created_at=NOW, updated_at=NOW) for _ in range(count)]
    with SqlAlchemyUnitOfWork(engine) as uow:
        for user in users:
            uow.users.add(user)
        uow.commit()
    return users


def _ask(engine: Engine, *questions: tuple[User, datetime, int, bool]) -> None:
    with SqlAlchemyUnitOfWork(engine) as uow:
        for user, at, latency_ms, cached in questions:
            uow.conversations.add(Conversation(user_id=user.id, document_id=None, question="Q?", answer="A.",
                                               model="offline", tokens_in=10, tokens_out=3, cost_usd=0.001,
                                               latency_ms=latency_ms, cached=cached, created_at=at))
        uow.commit()


def _report(engine: Engine, user: User | None, days: int) -> tuple:
    since = period_start(NOW, days)
    with SqlAlchemyUnitOfWork(engine, read_only=True) as uow:
        owner = None if user is None else user.id
        report = uow.conversations.usage_report(owner, since=since, count_users=user is None)
        assert list(report.daily) == uow.conversations.usage_by_day(owner, since=since)  # the usage route's read
        return report.daily, report.latency_histogram, report.users


def test_reports_are_the_same_before_and_after_the_rollup(engine: Engine) -> None:
    ann, bob, idle = _users(engine, 3)
    _ask(engine, (ann, NOW - timedelta(days=40), 5000, False), (bob, NOW - timedelta(days=3, hours=1), 40, True),
         (ann, NOW - timedelta(days=3), 120, False), (ann, NOW - timedelta(days=1), 900, False),
         (bob, NOW.replace(hour=0, minute=0, second=0), 15, False), (ann, NOW, 7, True),
         (bob, NOW - timedelta(days=10), 5_000_000, False))  # above the last bound: the overflow bucket
    people = {"everyone": None, "ann": ann, "bob": bob, "idle": idle}
    periods = [(who, days) for who in people for days in (1, 2, 4, 30, 365)]
    before = {(who, days): _report(engine, people[who], days) for who, days in periods}
    assert before[("everyone", 30)][2] == 2 and before[("everyone", 1)][2] == 2
    assert before[("ann", 365)][1] == histogram([5000, 120, 900, 7])

    run = SqlAlchemyAnalyticsRollups(engine).run(NOW)
    assert run.days[0] == (NOW - timedelta(days=40)).date() and run.days[-1] == date(2026, 3, 9)
    assert len(run.days) == 40  # every day from the first question to yesterday, zeros included
    assert {(who, days): _report(engine, people[who], days) for who, days in periods} == before
    assert SqlAlchemyAnalyticsRollups(engine).run(NOW).days == ()  # nothing more to do

    _ask(engine, (idle, NOW + timedelta(minutes=1), 60, False))  # today's rows are read from the rows
    assert _report(engine, None, 1)[2] == 3
    assert _report(engine, idle, 30)[1] == histogram([60])
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(usage_daily_global)).scalar_one() == 40


def test_the_database_buckets_latencies_as_the_domain_does_at_every_bound(engine: Engine) -> None:
    (ann,) = _users(engine, 1)
    latencies = sorted({-5, 0, 10**8, *(b + d for b in BOUNDS_MS for d in (-1, 0, 1))})
    _ask(engine, *((ann, NOW - timedelta(days=2), ms, False) for ms in latencies),  # closed: rolled up below
         *((ann, NOW, ms, False) for ms in latencies))  # today: read from the rows
    expected = {index: 2 * count for index, count in histogram(latencies).items()}
    assert max(expected) == OVERFLOW and min(expected) == 0
    assert [_report(engine, who, 7)[1] for who in (None, ann)] == [expected, expected]
    SqlAlchemyAnalyticsRollups(engine).run(NOW)
    assert [_report(engine, who, 7)[1] for who in (None, ann)] == [expected, expected]


def test_a_day_is_rolled_up_after_its_grace_period_and_once(engine: Engine) -> None:
    (ann,) = _users(engine, 1)
    _ask(engine, (ann, datetime(2026, 3, 9, 23, 59, tzinfo=UTC), 30, False))
    just_after_midnight = datetime(2026, 3, 10, 0, 5, tzinfo=UTC)
    assert SqlAlchemyAnalyticsRollups(engine).run(just_after_midnight).days == (date(2026, 3, 8),)
    late = datetime(2026, 3, 9, 23, 59, 59, tzinfo=UTC)  # stamped before midnight, committed after it
    _ask(engine, (ann, late, 40, False))
    later = SqlAlchemyAnalyticsRollups(engine).run(just_after_midnight + timedelta(minutes=10))
    assert later.days == (date(2026, 3, 9),)
    since = datetime(2026, 3, 9, tzinfo=UTC)
    with SqlAlchemyUnitOfWork(engine) as uow:
        assert [d.questions for d in uow.conversations.usage_by_day(ann.id, since=since)] == [2]
    # a second job that finds the day done (another worker's) rolls nothing up twice
    assert SqlAlchemyAnalyticsRollups(engine).run(just_after_midnight + timedelta(hours=1)).days == ()


def test_a_period_not_starting_at_midnight_is_read_from_the_rows(engine: Engine) -> None:
    (ann,) = _users(engine, 1)
    _ask(engine, (ann, NOW - timedelta(days=2, hours=6), 30, False), (ann, NOW - timedelta(days=2, hours=1), 30, False))
    SqlAlchemyAnalyticsRollups(engine).run(NOW)
    with SqlAlchemyUnitOfWork(engine) as uow:
        assert sum(d.questions for d in uow.conversations.usage_by_day(ann.id, since=NOW - timedelta(days=2, hours=3))) == 1
        assert uow.conversations.usage_report(None, since=NOW - timedelta(hours=1), count_users=True).users == 0


def _counted(engine: Engine) -> dict:
    with engine.connect() as connection:
        rows = connection.execute(select(documents.c.kind, documents.c.status, func.count())
                                  .group_by(documents.c.kind, documents.c.status)).all()
    return {(DocumentKind(k), DocumentStatus(s)): n for k, s, n in rows}


def test_document_counts_follow_inserts_changes_and_deletes(engine: Engine) -> None:
    ann, bob = _users(engine, 2)

    def a_document(owner: User, kind: DocumentKind) -> Document:
        return Document(owner_id=owner.id, filename="f", kind=kind, size=1, sha256=uuid.uuid4().hex * 2,
                        storage_key=uuid.uuid4().hex, created_at=NOW, updated_at=NOW)

    docs = [a_document(ann, DocumentKind.PDF), a_document(ann, DocumentKind.PDF), a_document(bob, DocumentKind.XLSX)]

    def everyone() -> dict:
        with SqlAlchemyUnitOfWork(engine, read_only=True) as uow:
            return uow.documents.counts_by_kind_and_status(None)

    with SqlAlchemyUnitOfWork(engine) as uow:
        for document in docs:
            uow.documents.add(document)
        uow.commit()
    assert everyone() == _counted(engine) == {(DocumentKind.PDF, DocumentStatus.PENDING): 2,
                                              (DocumentKind.XLSX, DocumentStatus.PENDING): 1}
    docs[0].status = DocumentStatus.COMPLETED
    docs[1].notes = "not a status change"
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.documents.update(docs[0])
        uow.documents.update(docs[1])
        uow.documents.delete(docs[2].id)
        uow.commit()
    expected = {(DocumentKind.PDF, DocumentStatus.PENDING): 1, (DocumentKind.PDF, DocumentStatus.COMPLETED): 1}
    assert everyone() == _counted(engine) == expected
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(document_count_deltas)).scalar_one() == 6
    assert SqlAlchemyAnalyticsRollups(engine).run(NOW).document_deltas == 6
    assert everyone() == expected
    with SqlAlchemyUnitOfWork(engine) as uow:  # a rolled-back change leaves no delta behind
        uow.documents.delete(docs[0].id)
    assert everyone() == expected
    with engine.begin() as connection:  # a set-wise delete (as retention does) counts too
        connection.execute(documents.delete().where(documents.c.owner_id == ann.id))
    assert everyone() == {} and SqlAlchemyAnalyticsRollups(engine).run(NOW).document_deltas == 2
    assert everyone() == {}
