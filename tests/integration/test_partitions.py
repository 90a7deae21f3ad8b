"""Month partitions of conversations and analytics_events (migration 0012) on real PostgreSQL: the
migration keeps every row and the application's reads, rows go to their month's partition, the
DEFAULT partition takes what has no partition and the upkeep moves it out, retention drops whole
old partitions (a dry run drops nothing), row-level security binds the partitions too, the
downgrade keeps the data, a backup restores over partitioned tables all or nothing; on SQLite the
revision changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from adapters.persistence import migrate
from adapters.persistence.app_role import grant_app_role
from adapters.persistence.backup import PgDumpBackup
from adapters.persistence.engine import make_engine
from adapters.persistence.partitions import SqlAlchemyPartitionMaintenance
from adapters.persistence.retention import SqlAlchemyRetentionStore
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from adapters.persistence.usage_rollups import SqlAlchemyAnalyticsRollups
from application.use_cases.apply_retention import ApplyRetention
from domain.analytics import AnalyticsEvent, EventType
from domain.conversations import Conversation
from domain.errors import BackupFailed
from domain.threads import Thread
from domain.tiers import TierPolicy
from domain.users import Tier, User
from tests.app_role import app_role_database
from tests.contract.test_repositories import a_conversation, a_document, a_user
from tests.fakes import FakeClock, FakeStorage

FEBRUARY, MAY, JUNE = (datetime(2026, 2, 10, 12, tzinfo=UTC), datetime(2026, 5, 10, 12, tzinfo=UTC),
                       datetime(2026, 6, 10, 12, tzinfo=UTC))
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def where(connection: Connection, table: str) -> dict[str, str]:
    """Each row's id -> the partition (or table) it is stored in."""
    rows = connection.execute(text(f"SELECT id, tableoid::regclass::text FROM {table}"))
    return {str(row[0]): row[1] for row in rows}


def partitions(connection: Connection, table: str) -> list[str]:
    return sorted(connection.execute(text("SELECT inhrelid::regclass::text FROM pg_inherits "
                                          "WHERE inhparent = CAST(:t AS regclass)"), {"t": table}).scalars())


def seed(engine: Engine) -> dict[str, object]:
    """A user with a document, a thread and questions and events in February, May and June 2026."""
    user = a_user(created_at=FEBRUARY, updated_at=FEBRUARY)
    document = a_document(user, created_at=FEBRUARY, updated_at=FEBRUARY)
    thread = attrs.evolve(Thread.start(user_id=user.id, document_ids=(document.id,), now=FEBRUARY),
                          updated_at=JUNE)  # touched at its last turn, as the use case does
    asked = [a_conversation(user, document, created_at=at, thread_id=thread.id) for at in (FEBRUARY, MAY, JUNE)]
    events = [AnalyticsEvent(user_id=user.id, type=EventType.QUESTION_ANSWERED, created_at=at)
              for at in (FEBRUARY, MAY, JUNE)]
    uow = SqlAlchemyUnitOfWork(engine)
    with uow:
        uow.users.add(user)
        uow.documents.add(document)
        uow.threads.add(thread)
        for conversation in asked:
            uow.conversations.add(conversation)
        for event in events:
            uow.events.add(event)
        uow.commit()
    return {"user": user, "document": document, "thread": thread, "asked": asked, "events": events}


def reads_work(engine: Engine, world: dict[str, object]) -> None:
    user: User = world["user"]  # type: ignore[assignment]
    thread: Thread = world["thread"]  # type: ignore[assignment]
    asked: list[Conversation] = world["asked"]  # type: ignore[assignment]
    uow = SqlAlchemyUnitOfWork(engine)
    with uow:
        assert [c.id for c in uow.conversations.list_for_user(user.id)] == [c.id for c in reversed(asked)]
        assert uow.conversations.get(asked[1].id) == asked[1]
        assert [t.id for t in uow.threads.turns(thread.id)] == [c.id for c in asked]
        assert len(uow.events.list_for_user(user.id)) == 3
        assert sum(day.questions for day in uow.conversations.usage_by_day(user.id, since=FEBRUARY)) == 3


@pytest.mark.postgres
def test_the_migration_keeps_rows_and_reads_and_the_downgrade_too(make_postgres_database: Callable[[], str]) -> None:
    url = make_postgres_database()
    migrate.upgrade(url, "0011")
    engine = make_engine(url)
    try:
        world = seed(engine)
        with engine.connect() as connection:
            before = {t: set(where(connection, t)) for t in ("conversations", "analytics_events")}
        migrate.upgrade(url)
        with engine.connect() as connection:
            stored = where(connection, "conversations")
            assert set(stored) == before["conversations"]
            assert set(where(connection, "analytics_events")) == before["analytics_events"]
            asked = world["asked"]
            assert [stored[str(c.id)] for c in asked] == [  # type: ignore[attr-defined]
                "conversations_p2026_02", "conversations_p2026_05", "conversations_p2026_06"]
            months = partitions(connection, "conversations")
            this_month = datetime.now(UTC).strftime("conversations_p%Y_%m")
            assert {"conversations_default", this_month} | set(stored.values()) <= set(months)
            kinds = dict(connection.execute(text(
                "SELECT relname, relkind FROM pg_class WHERE relname IN ('conversations', 'analytics_events')")).all())
            assert kinds == {"conversations": "p", "analytics_events": "p"}
        reads_work(engine, world)

        migrate.downgrade(url, "0011")
        with engine.connect() as connection:
            assert {t: set(where(connection, t)) for t in before} == before
            assert set(where(connection, "conversations").values()) == {"conversations"}  # one plain table
            assert connection.execute(text("SELECT count(*) FROM pg_partitioned_table")).scalar_one() == 0
            assert connection.execute(text(
                "SELECT count(*) FROM pg_proc WHERE proname LIKE 'assistant\\_%'")).scalar_one() == 0
        reads_work(engine, world)
        migrate.upgrade(url)
        reads_work(engine, world)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_row_without_its_months_partition_lands_in_default_and_the_upkeep_moves_it(
        make_postgres_database: Callable[[], str]) -> None:
    url = make_postgres_database()
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        user = a_user()
        far = datetime(2031, 5, 3, tzinfo=UTC)
        uow = SqlAlchemyUnitOfWork(engine)
        with uow:
            uow.users.add(user)
            uow.conversations.add(question := a_conversation(user, None, created_at=far))
            uow.events.add(event := AnalyticsEvent(user_id=user.id, type=EventType.QUESTION_ANSWERED, created_at=far))
            uow.commit()
        with engine.connect() as connection:
            assert where(connection, "conversations") == {str(question.id): "conversations_default"}
            assert where(connection, "analytics_events") == {str(event.id): "analytics_events_default"}
        maintenance = SqlAlchemyPartitionMaintenance(engine)
        assert maintenance.supported()
        created = maintenance.ensure(datetime(2031, 4, 20, tzinfo=UTC), 0)
        assert created == ["conversations_p2031_04", "conversations_p2031_05",
                           "analytics_events_p2031_04", "analytics_events_p2031_05"]
        with engine.connect() as connection:
            assert where(connection, "conversations") == {str(question.id): "conversations_p2031_05"}
            assert where(connection, "analytics_events") == {str(event.id): "analytics_events_p2031_05"}
            indexes = connection.execute(text(
                "SELECT count(*) FROM pg_indexes WHERE tablename = 'conversations_p2031_05'")).scalar_one()
        assert indexes == 5  # the primary key and the four partitioned indexes
        assert maintenance.ensure(datetime(2031, 4, 20, tzinfo=UTC), 0) == []  # nothing more to do
        listed = {p.name: p for p in maintenance.partitions()}
        may = listed["conversations_p2031_05"]
        assert (may.table, may.start, may.end) == ("conversations", far.replace(day=1),
                                                   datetime(2031, 6, 1, tzinfo=UTC))
        assert listed["conversations_default"].start is None
        with SqlAlchemyUnitOfWork(engine) as uow:
            assert uow.conversations.get(question.id) == question
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_retention_drops_whole_old_partitions_and_a_dry_run_drops_none(
        make_postgres_database: Callable[[], str]) -> None:
    url = make_postgres_database()
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        world = seed(engine)
        user: User = world["user"]  # type: ignore[assignment]
        asked: list[Conversation] = world["asked"]  # type: ignore[assignment]
        stale = Thread.start(user_id=user.id, document_ids=(), now=FEBRUARY)
        uow = SqlAlchemyUnitOfWork(engine)
        with uow:
            uow.threads.add(stale)
            uow.conversations.add(a_conversation(user, None, created_at=FEBRUARY, thread_id=stale.id))
            uow.events.add(AnalyticsEvent(user_id=None, type=EventType.USER_REGISTERED, created_at=FEBRUARY))
            uow.commit()
        SqlAlchemyPartitionMaintenance(engine).ensure(NOW, 0)  # February, May, June out of DEFAULT
        every_tier = {tier.value: {"keep_conversations_days": 30, "keep_analytics_days": 30} for tier in Tier}
        retention = ApplyRetention(uow, SqlAlchemyRetentionStore(engine), FakeStorage(),
                                   TierPolicy.with_overrides(every_tier), FakeClock(NOW),
                                   rollups=SqlAlchemyAnalyticsRollups(engine))

        dry = retention(dry_run=True)
        assert dry.partitions_dropped == ("conversations_p2026_02", "analytics_events_p2026_02")
        assert (dry.conversations, dry.analytics_events) == (3, 2)  # Feb (2) and May; the user's Feb and May
        with engine.connect() as connection:
            assert "conversations_p2026_02" in partitions(connection, "conversations")
            assert len(where(connection, "conversations")) == 4

        done = retention()
        assert done.partitions_dropped == dry.partitions_dropped
        assert (done.conversations, done.analytics_events) == (3, 3)  # and the Feb event of no user
        assert done.by_tier["free"] == {"conversations": 3, "analytics_events": 2}
        with engine.connect() as connection:
            assert "conversations_p2026_02" not in partitions(connection, "conversations")
            assert "analytics_events_p2026_02" not in partitions(connection, "analytics_events")
            assert set(where(connection, "conversations")) == {str(asked[2].id)}  # type: ignore[index]
            assert len(where(connection, "analytics_events")) == 1
            audited = connection.execute(text(
                "SELECT data FROM audit_log WHERE action = 'retention_run' ORDER BY created_at, id")).scalars().all()
        assert [entry["partitions_dropped"] for entry in audited] == [list(dry.partitions_dropped)] * 2
        with SqlAlchemyUnitOfWork(engine) as uow:
            assert uow.threads.get(stale.id) is None  # all its turns went: the thread too
            assert uow.threads.get(world["thread"].id) is not None  # type: ignore[attr-defined]
        assert retention().partitions_dropped == ()  # idempotent
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_row_level_security_binds_the_partitioned_table_and_its_partitions(
        make_postgres_database: Callable[[], str]) -> None:
    with app_role_database(make_postgres_database) as (owner_url, app_url):
        app = make_engine(app_url)
        try:
            alice, bob = a_user(), a_user()
            worker = SqlAlchemyUnitOfWork(app, row_security=True, role="worker")
            with worker:
                for user in (alice, bob):
                    worker.users.add(user)
                    worker.conversations.add(a_conversation(user, None, created_at=datetime.now(UTC)))
                    worker.conversations.add(a_conversation(user, None, created_at=datetime(2031, 5, 3, tzinfo=UTC)))
                worker.commit()
            created = SqlAlchemyPartitionMaintenance(app).ensure(datetime.now(UTC), 1)  # as the application's role
            assert "conversations_p2031_05" in created
            this_month = datetime.now(UTC).strftime("conversations_p%Y_%m")
            for table in ("conversations", this_month, "conversations_p2031_05", "conversations_default"):
                with SqlAlchemyUnitOfWork(app, row_security=True) as uow:
                    uow.act_for(alice.id)
                    seen = uow._current().execute(text(f"SELECT DISTINCT user_id FROM {table}")).scalars().all()
                assert seen in ([alice.id], []), table
                with SqlAlchemyUnitOfWork(app, row_security=True) as uow:  # nobody named: nothing
                    assert uow._current().execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table
            with SqlAlchemyUnitOfWork(app, row_security=True) as uow:
                uow.act_for(alice.id)
                assert {c.user_id for c in uow.conversations.list_for_user(bob.id)} == set()
                assert len(uow.conversations.list_for_user(alice.id)) == 2
            with app.connect() as connection:
                flags = connection.execute(text(
                    "SELECT c.relname, c.relrowsecurity, count(p.polname) FROM pg_class AS c "
                    "LEFT JOIN pg_policy AS p ON p.polrelid = c.oid "
                    "WHERE c.relname LIKE 'conversations%' AND c.relkind IN ('r', 'p') GROUP BY 1, 2")).all()
            assert flags and all(enabled and policies == 1 for _, enabled, policies in flags)
            store = SqlAlchemyRetentionStore(app)  # the drop runs as the owner, through the function
            later = datetime(2040, 1, 1, tzinfo=UTC)
            owner = make_engine(owner_url)
            role = make_url(app_url).username
            with owner.begin() as connection:  # as if `assistant db grant` had not run since the migration
                connection.execute(text(f"REVOKE EXECUTE ON FUNCTION assistant_drop_partition(text, text) FROM {role}"))
            assert store.drop_old_partitions("conversations", later, drop=True).names == ()  # kept, logged
            with owner.connect() as connection:
                assert "conversations_p2031_05" in partitions(connection, "conversations")
            grant_app_role(owner_url, str(role))
            owner.dispose()
            dropped = store.drop_old_partitions("conversations", later, drop=True)
            assert dropped.by_tier == {"free": 4}
        finally:
            app.dispose()
        owner = make_engine(owner_url)
        try:
            with owner.connect() as connection:
                assert partitions(connection, "conversations") == ["conversations_default"]
        finally:
            owner.dispose()


@pytest.mark.postgres
def test_a_partition_whose_lock_is_busy_is_left_for_the_next_run(make_postgres_database: Callable[[], str]) -> None:
    url = make_postgres_database()
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        seed(engine)
        SqlAlchemyPartitionMaintenance(engine).ensure(NOW, 0)
        store = SqlAlchemyRetentionStore(engine, lock_timeout_ms=100)
        with engine.connect() as reader:
            reader.execute(text("SELECT count(*) FROM conversations"))  # its transaction holds the parent's lock
            kept = store.drop_old_partitions("conversations", NOW, drop=True)
            assert kept.names == () and "conversations_p2026_02" in partitions(reader, "conversations")
        dropped = store.drop_old_partitions("conversations", NOW, drop=True)  # the reader is gone
        assert dropped.names == ("conversations_p2026_02", "conversations_p2026_05")
    finally:
        engine.dispose()


def test_on_sqlite_the_revision_changes_nothing(sqlite_url: str) -> None:
    migrate.upgrade(sqlite_url, "0011")
    engine = make_engine(sqlite_url)
    try:
        schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'alembic%' ORDER BY name"
        with engine.connect() as connection:
            before = connection.execute(text(schema)).all()
        migrate.upgrade(sqlite_url, "0012")
        assert migrate.current(sqlite_url) == "0012"
        with engine.connect() as connection:
            assert connection.execute(text(schema)).all() == before
        maintenance = SqlAlchemyPartitionMaintenance(engine)
        assert not maintenance.supported()
        assert maintenance.ensure(datetime.now(UTC), 2) == [] and maintenance.partitions() == []
        assert SqlAlchemyRetentionStore(engine).drop_old_partitions(
            "conversations", datetime.now(UTC) + timedelta(days=1), drop=True).names == ()
        migrate.downgrade(sqlite_url, "0011")
        with engine.connect() as connection:
            assert connection.execute(text(schema)).all() == before
    finally:
        engine.dispose()




@pytest.mark.postgres
def test_a_restore_replaces_partitioned_tables_all_or_nothing(make_postgres_database: Callable[[], str],
                                                              tmp_path: Path) -> None:
    """pg_restore --clean cannot drop a partition's key on its own (adapters/persistence/backup.py)."""
    source_url, target_url = make_postgres_database(), make_postgres_database()
    for url in (source_url, target_url):
        migrate.upgrade(url)
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        world = seed(source)
        seed(target)  # other rows, in the same month partitions
        SqlAlchemyPartitionMaintenance(target).ensure(NOW, 0)
        dump = tmp_path / "database.pgdump"
        PgDumpBackup(source_url).dump(dump)
        broken = tmp_path / "broken.pgdump"
        broken.write_bytes(dump.read_bytes()[:-1024])  # pg_restore writes most of its script, then fails
        with target.connect() as connection:
            before = {t: where(connection, t) for t in ("conversations", "analytics_events")}
        with pytest.raises(BackupFailed, match="end of file"):
            PgDumpBackup(target_url).restore(broken)
        with target.connect() as connection:
            assert {t: where(connection, t) for t in before} == before  # nothing changed

        PgDumpBackup(target_url).restore(dump)
        with source.connect() as old, target.connect() as new:
            for table in before:
                assert where(new, table) == where(old, table)
            assert partitions(new, "conversations") == partitions(old, "conversations")
        reads_work(target, world)
    finally:
        source.dispose()
        target.dispose()
