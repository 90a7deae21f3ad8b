"""Reads off the primary against a real streaming replica: a private primary cluster (initdb), a hot
standby made from it with pg_basebackup into a temporary folder and started as a second postmaster
on another port. Reports read through ReplicaFallbackEngine come from the standby, and from the
primary while the standby is away; the container sends analytics there when
ASSISTANT_DATABASE_READ_URL is set. Skipped with the reason where the server binaries are missing
(failed under CI=true), like the point-in-time recovery test whose cluster helper it uses."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.replica import ReplicaFallbackEngine, read_engine
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from application.use_cases.get_analytics import GetAnalytics
from domain.conversations import Conversation
from domain.users import User
from tests.fakes import FakeClock
from tests.integration.test_point_in_time_recovery import BIN, Cluster, workspace  # noqa: F401 - the fixture

NOW = datetime.now(UTC)


def _in_recovery(engine) -> bool:
    with engine.connect() as connection:
        return bool(connection.execute(text("SELECT pg_is_in_recovery()")).scalar_one())


def _wait_replayed(replica: Cluster, database: str, user_id: uuid.UUID) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if replica.sql(f"SELECT count(*) FROM conversations WHERE user_id = '{user_id}'", database):
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not replay the primary's write")


def test_reports_come_from_the_replica_and_from_the_primary_while_it_is_away(workspace: Path) -> None:  # noqa: F811
    primary = Cluster(workspace, "primary")
    primary.run(BIN / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust")
    primary.configure(wal_level="replica", max_wal_senders="4", hot_standby="on")
    primary.start()
    replica = Cluster(workspace, "replica")
    try:
        primary.sql("CREATE DATABASE app")
        migrate.upgrade(primary.url("app"))
        primary.run(BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                    "-D", replica.data, "-R", "-X", "stream")
        replica.configure()  # its own port and socket folder, after the primary's copied settings
        replica.start()
        engine = make_engine(primary.url("app"))
        reads = read_engine(replica.url("app"), engine)
        assert isinstance(reads, ReplicaFallbackEngine)
        reads._retry_after = 0.0  # try the replica again at once once it is back

        user = User(email="ann@example.com", created_at=NOW, updated_at=NOW)
        with SqlAlchemyUnitOfWork(engine) as uow:
            uow.users.add(user)
            for latency in (40, 90):
                uow.conversations.add(Conversation(user_id=user.id, document_id=None, question="Q?", answer="A.",
                                                   model="offline", latency_ms=latency, created_at=NOW))
            uow.commit()
        _wait_replayed(replica, "app", user.id)
        analytics = GetAnalytics(uow=SqlAlchemyUnitOfWork(reads, read_only=True), clock=FakeClock(NOW))
        assert _in_recovery(reads) is True  # served by the standby
        assert analytics(user.id).questions == 2

        replica.stop()
        assert _in_recovery(reads) is False  # the primary answers while the standby is away
        assert analytics(user.id).questions == 2
        replica.start()
        assert _in_recovery(reads) is True
        reads.dispose()
        engine.dispose()
    finally:
        replica.stop()
        primary.stop()


def test_the_container_sends_reports_to_the_read_url(tmp_path: Path, monkeypatch) -> None:
    from config.bootstrap import build_container
    from config.settings import Settings

    primary = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.chdir(tmp_path)
    settings = Settings(database_url=primary, database_read_url="postgresql+psycopg://postgres@127.0.0.1:1/none",
                        home=tmp_path / "var")
    container = build_container(settings)
    engine = container.replica_engine()
    assert isinstance(engine, ReplicaFallbackEngine) and engine.primary is container.engine()
    assert container.get_analytics().uow._engine is engine and container.get_document().uow._engine is container.engine()
