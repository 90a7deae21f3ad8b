"""``assistant retention run [--dry-run]`` through the console script, and the workers' periodic
job (retain_once) on the same installation: an untouched document goes with its stored file."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.e2e.conftest import Cli

TIERS = json.dumps({"free": {"keep_conversations_days": 30, "keep_documents_days": 60, "keep_analytics_days": 60}})


def age(cli: Cli, days: int) -> None:
    """Move every document, question and thread of the installation ``days`` into the past."""
    then = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S.000000")
    with sqlite3.connect(cli.home / "var" / "assistant.db") as db:
        db.execute("UPDATE documents SET created_at = ?, updated_at = ?", (then, then))
        db.execute("UPDATE conversations SET created_at = ?", (then,))
        db.execute("UPDATE threads SET created_at = ?, updated_at = ?", (then, then))
        db.execute("UPDATE analytics_events SET created_at = ?", (then,))


def stored_files(cli: Cli) -> list[Path]:
    return [p for p in (cli.home / "var" / "files").rglob("*") if p.is_file() and not p.name.startswith(".")]


def test_retention_run_dry_then_for_real(cli: Cli, notes: Path) -> None:
    env = {"ASSISTANT_TIERS": TIERS}
    [doc] = cli("ingest", str(notes), "--json", env=env).json()
    assert cli("ask", doc["id"], "Within how many days are invoices payable?", env=env).code == 0
    kept = cli("retention", "run", "--json", env=env)
    assert kept.code == 0 and kept.json() == {
        "dry_run": False, "conversations": 0, "documents": 0, "analytics_events": 0,
        "by_tier": {"free": {"conversations": 0, "analytics_events": 0, "documents": 0}},
        "partitions_dropped": []}  # SQLite: no partitions
    age(cli, 90)

    dry = cli("retention", "run", "--dry-run", env=env)
    assert dry.code == 0, dry.err
    assert "would delete 1 question(s) and answer(s), 1 document(s) and " in dry.out
    assert len(cli("docs", "--json", env=env).json()) == 1 and len(stored_files(cli)) == 1

    done = cli("retention", "run", "--json", env=env)
    assert done.code == 0 and (done.json()["conversations"], done.json()["documents"]) == (1, 1)
    assert done.json()["analytics_events"] > 0  # the upload's and the question's events, 90 days old
    with sqlite3.connect(cli.home / "var" / "assistant.db") as db:
        assert db.execute("SELECT count(*) FROM analytics_events WHERE created_at < ?",
                          ((datetime.now(UTC) - timedelta(days=60)).strftime("%Y-%m-%d"),)).fetchone() == (0,)
    assert cli("docs", "--json", env=env).json() == [] and stored_files(cli) == []
    with sqlite3.connect(cli.home / "var" / "assistant.db") as db:
        runs = db.execute("SELECT data FROM audit_log WHERE action = 'retention_run' ORDER BY created_at").fetchall()
    assert [(json.loads(d)["dry_run"], json.loads(d)["documents"]) for (d,) in runs] == [
        (False, 0), (True, 1), (False, 1)]


def test_the_workers_periodic_job_runs_only_when_a_tier_sets_retention(
        cli: Cli, notes: Path, isolated_settings: Path) -> None:
    from config.bootstrap import build_container
    from entrypoints.worker.retention import retain_once

    [doc] = cli("ingest", str(notes), "--json").json()
    age(cli, 90)
    home = cli.home / "var"
    assert retain_once(build_container(home=home)) is False  # no tier sets any days: nothing, not audited
    assert [d["id"] for d in cli("docs", "--json").json()] == [doc["id"]]
    assert retain_once(build_container(home=home, tiers=json.loads(TIERS))) is True
    assert cli("docs", "--json").json() == [] and stored_files(cli) == []
    with sqlite3.connect(home / "assistant.db") as db:
        assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'retention_run'").fetchone() == (1,)


def test_bad_retention_days_stop_start_up_with_one_line(cli: Cli) -> None:
    run = cli("retention", "run", env={"ASSISTANT_TIERS": json.dumps({"free": {"keep_documents_days": 0}})})
    assert run.code == 78
    assert run.err.strip() == ("error: configuration: ASSISTANT_TIERS: not valid tier overrides: "
                               "'keep_documents_days' must be >= 1: 0")
