"""``assistant db partitions [--ahead N] [--json]`` through the console script, and the workers'
upkeep job (upkeep_once): on PostgreSQL both create the coming months' partitions (the command
lists them too); on SQLite the command says partitions are a PostgreSQL feature."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.persistence import migrate
from tests.e2e.conftest import Cli


def test_on_sqlite_partitions_are_a_postgresql_feature(cli: Cli) -> None:
    said = cli("db", "partitions")
    assert said.code == 0 and "partitions are a PostgreSQL feature" in said.err
    assert cli("db", "partitions", "--json").json() == {"supported": False, "created": [], "partitions": []}


@pytest.mark.postgres
def test_on_postgresql_the_coming_months_are_created_and_listed(
        cli: Cli, make_postgres_database: Callable[[], str]) -> None:
    url = make_postgres_database()
    migrate.upgrade(url)  # the current month and the next two
    env = {"ASSISTANT_DATABASE_URL": url}
    now = datetime.now(UTC)
    third = datetime(now.year + (now.month + 2) // 12, (now.month + 2) % 12 + 1, 1, tzinfo=UTC)
    done = cli("db", "partitions", "--ahead", "3", "--json", env=env)
    assert done.code == 0, done.err
    report = done.json()
    suffix = third.strftime("p%Y_%m")
    assert report["supported"] is True
    assert report["created"] == [f"conversations_{suffix}", f"analytics_events_{suffix}"]
    names = [p["name"] for p in report["partitions"]]
    assert names[-1] == "conversations_default" and "analytics_events_default" in names
    assert len(names) == 2 * 5  # four months and DEFAULT, for each table
    again = cli("db", "partitions", "--ahead", "3", env=env)
    assert again.code == 0 and "created 0 partition(s)" in again.err
    assert f"conversations_{suffix}" in again.out and "DEFAULT" in again.out


@pytest.mark.postgres
def test_the_workers_upkeep_job_creates_the_coming_months_and_never_raises(
        isolated_settings: Path, make_postgres_database: Callable[[], str]) -> None:
    from config.bootstrap import build_container
    from entrypoints.worker.partitions import upkeep_once

    url = make_postgres_database()
    migrate.upgrade(url)
    container = build_container(home=isolated_settings / "var", database_url=url)
    now = datetime.now(UTC)
    months = [datetime(now.year + (now.month + k - 1) // 12, (now.month + k - 1) % 12 + 1, 1) for k in (3, 4)]
    made = upkeep_once(container, 4)
    assert made == [f"{table}_{month:p%Y_%m}" for table in ("conversations", "analytics_events") for month in months]
    assert upkeep_once(container, 4) == []
    away = build_container(home=isolated_settings / "var", database_url=url.rsplit("/", 1)[0] + "/no_such_database")
    assert upkeep_once(away, 2) == []  # logged (partition_upkeep_failed), not raised
