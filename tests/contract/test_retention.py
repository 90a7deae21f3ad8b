"""Retention (issue 18, item 6) on SQLite and PostgreSQL: per-tier days, what goes and what stays,
files and index rows going with their documents, a dry run that deletes nothing, every run audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.retention import SqlAlchemyRetentionStore
from adapters.persistence.tables import chunks, conversations, search_documents, threads
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from adapters.storage.local import LocalFileStorage
from application.use_cases.apply_retention import ApplyRetention
from domain.documents import DocumentStatus
from domain.threads import Thread
from domain.tiers import TierPolicy
from domain.users import Tier
from tests.contract.test_repositories import T0, a_chunk, a_conversation, a_document, a_user
from tests.fakes import FakeClock, FakeStorage

NOW = T0 + timedelta(days=100)


def days_ago(days: float):  # type: ignore[no-untyped-def]
    return NOW - timedelta(days=days)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A freshly migrated database of its own (the audit log is append-only: no emptying it)."""
    url = (request.getfixturevalue("make_postgres_database")() if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'retention.db'}")
    migrate.upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def count(engine: Engine, table, **where: object) -> int:  # type: ignore[no-untyped-def]
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_retention_deletes_per_tier_what_is_kept_no_longer(engine: Engine, tmp_path: Path) -> None:
    uow, files = SqlAlchemyUnitOfWork(engine), LocalFileStorage(tmp_path / "files")
    free, premium = a_user(tier=Tier.FREE), a_user(tier=Tier.PREMIUM)

    def document(owner, updated_days_ago: float, status=DocumentStatus.COMPLETED, thumbnail: bool = False):  # type: ignore[no-untyped-def]
        return a_document(owner, storage_key=files.put(b"original"), status=status,
                          thumbnail_key=files.put(b"thumb") if thumbnail else None,
                          updated_at=days_ago(updated_days_ago))

    old = document(free, 90, thumbnail=True)
    asked = document(free, 90)  # asked about 10 days ago
    recent = document(free, 5)
    threaded = document(free, 90)  # named by a thread active yesterday
    stuck = document(free, 90, status=DocumentStatus.PROCESSING)
    premium_old = document(premium, 90)
    active_thread = Thread.start(user_id=free.id, document_ids=(threaded.id,), now=days_ago(1))
    old_thread = Thread.start(user_id=free.id, document_ids=(), now=days_ago(40))
    with uow:
        for user in (free, premium):
            uow.users.add(user)
        for doc in (old, asked, recent, threaded, stuck, premium_old):
            uow.documents.add(doc)
        uow.chunks.replace(old.id, [a_chunk(old, n) for n in range(3)])
        uow.threads.add(active_thread)
        uow.threads.add(old_thread)
        for conversation in (
            a_conversation(free, asked, created_at=days_ago(10)),
            a_conversation(free, asked, created_at=days_ago(40)),  # older than free's 30 days
            a_conversation(free, None, created_at=days_ago(40), thread_id=old_thread.id),
            a_conversation(premium, premium_old, created_at=days_ago(40)),  # premium keeps for ever
        ):
            uow.conversations.add(conversation)
        uow.commit()
    with engine.begin() as connection:  # an index row of the old document
        connection.execute(search_documents.insert().values(
            document_id=old.id, language="en", analyzer="snowball", chunk_count=3, tokens=6, version=uuid.uuid4()))

    tiers = TierPolicy.with_overrides({"free": {"keep_conversations_days": 30, "keep_documents_days": 60}})
    clock = FakeClock(NOW)
    retention = ApplyRetention(uow=uow, store=SqlAlchemyRetentionStore(engine), storage=files, tiers=tiers,
                               clock=clock)
    assert retention.configured() and not ApplyRetention(uow, SqlAlchemyRetentionStore(engine), files,
                                                         TierPolicy(), FakeClock(NOW)).configured()

    dry = retention(dry_run=True)
    assert (dry.conversations, dry.documents, dry.by_tier) == (2, 1, {"free": {"conversations": 2, "documents": 1}})
    assert count(engine, conversations) == 4 and len(list(files.keys())) == 7  # 6 originals, 1 thumbnail

    clock.advance(60)
    done = retention()
    assert (done.conversations, done.documents) == (2, 1)
    with uow:
        assert uow.documents.get(old.id) is None
        left = {d.id for d in (asked, recent, threaded, stuck, premium_old) if uow.documents.get(d.id)}
        entries = uow.audit.list()
    assert left == {asked.id, recent.id, threaded.id, stuck.id, premium_old.id}
    assert count(engine, chunks, document_id=old.id) == 0 and count(engine, search_documents) == 0
    with pytest.raises(KeyError):
        files.get(old.storage_key)
    with pytest.raises(KeyError):
        files.get(old.thumbnail_key)
    assert len(list(files.keys())) == 5  # the other documents' originals
    assert count(engine, conversations, user_id=free.id) == 1  # the one 10 days old
    assert count(engine, conversations, user_id=premium.id) == 1
    assert count(engine, threads, id=old_thread.id) == 0 and count(engine, threads, id=active_thread.id) == 1

    runs = [e for e in entries if e.action == "retention_run"]
    assert [(e.data["dry_run"], e.data["conversations"], e.data["documents"]) for e in runs] == [
        (False, 2, 1), (True, 2, 1)]  # newest first
    assert runs[0].data["by_tier"] == {"free": {"conversations": 2, "documents": 1}}

    again = retention()
    assert (again.conversations, again.documents) == (0, 0)


def test_questions_and_analytics_go_only_from_rolled_up_days_and_stay_counted(engine: Engine) -> None:
    from adapters.persistence.tables import analytics_events, usage_daily, usage_daily_global
    from adapters.persistence.usage_rollups import SqlAlchemyAnalyticsRollups
    from domain.analytics import AnalyticsEvent, EventType

    uow = SqlAlchemyUnitOfWork(engine)
    free, premium = a_user(tier=Tier.FREE), a_user(tier=Tier.PREMIUM)
    with uow:
        uow.users.add(free)
        uow.users.add(premium)
        for user, days in ((free, 60), (free, 40), (free, 10), (premium, 60)):
            uow.conversations.add(a_conversation(user, None, created_at=days_ago(days)))
            uow.events.add(AnalyticsEvent(user_id=user.id, type=EventType.QUESTION_ANSWERED,
                                          created_at=days_ago(days)))
        uow.commit()
    tiers = TierPolicy.with_overrides({"free": {"keep_conversations_days": 30, "keep_analytics_days": 30}})
    store = SqlAlchemyRetentionStore(engine)

    # rollups hold the days up to 50 days ago only: what is newer stays, though past the tier's days
    last = days_ago(50).date()
    with engine.begin() as connection:
        connection.execute(usage_daily_global.insert().values(
            day=last, questions=0, cached=0, tokens_in=0, tokens_out=0, cost_usd=0, latency_histogram={}, users=0))
    capped = ApplyRetention(uow, store, FakeStorage(), tiers, FakeClock(NOW))(dry_run=True)
    assert (capped.conversations, capped.analytics_events) == (1, 1)  # the 60-day-old ones

    with engine.begin() as connection:
        connection.execute(usage_daily_global.delete())
    rollups = SqlAlchemyAnalyticsRollups(engine)
    done = ApplyRetention(uow, store, FakeStorage(), tiers, FakeClock(NOW), rollups=rollups)()
    assert (done.conversations, done.analytics_events, done.documents) == (2, 2, 0)
    assert count(engine, conversations, user_id=free.id) == 1 and count(engine, conversations, user_id=premium.id) == 1
    assert count(engine, analytics_events, user_id=free.id) == 1
    with engine.connect() as connection:  # the deleted questions stay in the usage figures
        counted = connection.execute(select(func.sum(usage_daily.c.questions))
                                     .where(usage_daily.c.user_id == free.id)).scalar_one()
    assert counted == 3
