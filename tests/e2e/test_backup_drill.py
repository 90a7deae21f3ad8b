"""The backup drill (issue 18, item 9), through the real console script: ingest documents and ask
questions, ``assistant backup``, ``assistant restore`` into a fresh database (SQLite: a new file;
PostgreSQL: a new database on the local server, not even migrated) and a fresh file folder, then
the restored documents answer the same questions with the same citations (keyless engine)."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.storage.encrypted import MAGIC
from tests.e2e.conftest import STOCK_CSV, Cli

EXIT_BACKUP_FAILED, EXIT_RESTORE_REFUSED = 34, 35
QUESTIONS = {"notes.md": ["Within how many days are invoices payable?", "When does the Berlin office open?"],
             "stock.csv": ["How many units of KX-22 are at the Riga depot?"]}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], dict[str, str]]:
    """The settings of a new, empty database (and home and file folder) named ``name``."""
    def make(name: str) -> dict[str, str]:
        env = {"ASSISTANT_HOME": str(tmp_path / name)}
        if request.param == "postgres":
            env["ASSISTANT_DATABASE_URL"] = request.getfixturevalue("make_postgres_database")()
        return env
    return make


def documents(tmp_path: Path, notes: Path) -> list[Path]:
    stock = tmp_path / "stock.csv"
    stock.write_text(STOCK_CSV, encoding="utf-8")
    return [notes, stock]


def answers(cli: Cli, env: dict[str, str], docs: list[dict]) -> list[tuple[str, str, list[dict]]]:
    found = []
    for doc in docs:
        for question in QUESTIONS[doc["filename"]]:
            asked = cli("ask", doc["id"], question, "--json", env=env)
            assert asked.code == 0, asked.err
            found.append((question, asked.json()["answer"], asked.json()["citations"]))
    return found


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_restored_documents_answer_the_same_questions_with_the_same_citations(
        cli: Cli, notes: Path, tmp_path: Path, fresh_database: Callable[[str], dict[str, str]],
        encrypted: bool) -> None:
    keys = {"ASSISTANT_STORAGE_KEYS": f"k1:{base64.b64encode(os.urandom(32)).decode()}"} if encrypted else {}
    source = {**fresh_database("source"), **keys, "ASSISTANT_DATABASE_AUTO_MIGRATE": "true"}
    ingested = cli("ingest", *map(str, documents(tmp_path, notes)), "--json", env=source)
    assert ingested.code == 0, ingested.err
    docs = ingested.json()
    before = answers(cli, source, docs)
    assert all(citations for _, _, citations in before), before
    assert "30 days" in before[0][1] and "410" in before[2][1]

    made = cli("backup", str(tmp_path / "backup"), "--json", env=source)
    assert made.code == 0, made.err
    assert made.json()["files"] == 2 and made.json()["revision"]
    stored = list((tmp_path / "backup" / "files").rglob("*"))
    blobs = [p.read_bytes() for p in stored if p.is_file()]
    assert len(blobs) == 2 and all(b.startswith(MAGIC) for b in blobs) == encrypted  # copied as stored

    target = {**fresh_database("target"), **keys}
    restored = cli("restore", str(tmp_path / "backup"), "--json", env=target)
    assert restored.code == 0, restored.err
    listed = cli("docs", "--json", env=target)
    assert sorted(d["id"] for d in listed.json()) == sorted(d["id"] for d in docs), listed.err
    assert answers(cli, target, docs) == before

    again = cli("restore", str(tmp_path / "backup"), env=target)
    assert again.code == EXIT_RESTORE_REFUSED and "not empty" in again.err and "--force" in again.err
    forced = cli("restore", str(tmp_path / "backup"), "--force", env=target)
    assert forced.code == 0, forced.err
    assert answers(cli, target, docs) == before


def test_a_tampered_backup_or_missing_keys_restore_nothing(cli: Cli, notes: Path, tmp_path: Path) -> None:
    keys = {"ASSISTANT_STORAGE_KEYS": f"k1:{base64.b64encode(os.urandom(32)).decode()}"}
    source = {"ASSISTANT_HOME": str(tmp_path / "source"), **keys}
    assert cli("ingest", str(notes), env=source).code == 0
    assert cli("backup", str(tmp_path / "backup"), env=source).code == 0
    refused = cli("backup", str(tmp_path / "backup"), env=source)
    assert refused.code == EXIT_BACKUP_FAILED and "not an empty folder" in refused.err

    target = {"ASSISTANT_HOME": str(tmp_path / "target")}
    no_keys = cli("restore", str(tmp_path / "backup"), env=target)
    assert no_keys.code == EXIT_RESTORE_REFUSED
    assert "encrypted (key ids: k1) but ASSISTANT_STORAGE_KEYS is not set" in no_keys.err
    other_key = cli("restore", str(tmp_path / "backup"),
                    env={**target, "ASSISTANT_STORAGE_KEYS": f"k1:{base64.b64encode(os.urandom(32)).decode()}"})
    assert other_key.code == EXIT_RESTORE_REFUSED and "'k1' is not the key" in other_key.err

    dump = tmp_path / "backup" / "database.sqlite3"
    raw = bytearray(dump.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    dump.write_bytes(bytes(raw))
    damaged = cli("restore", str(tmp_path / "backup"), env={**target, **keys})
    assert damaged.code == EXIT_BACKUP_FAILED and "database.sqlite3 does not match its checksum" in damaged.err
    assert cli("docs", "--json", env={**target, **keys}).json() == []
    for run in (refused, no_keys, other_key, damaged):
        assert "Traceback" not in run.err


@pytest.mark.postgres
def test_a_role_bound_by_row_level_security_backs_up_every_row_and_its_grants_come_back(
        cli: Cli, notes: Path, tmp_path: Path, make_postgres_database: Callable[[], str]) -> None:
    """The application's role neither owns the tables nor bypasses RLS (migrations/versions/0011): its
    backup still holds every user's rows, and a restore by the owner grants that role its privileges
    again."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    owner_url, target_url = make_postgres_database(), make_postgres_database()
    role = f"assistant_app_{uuid.uuid4().hex[:8]}"
    source = {"ASSISTANT_HOME": str(tmp_path / "source"), "ASSISTANT_DATABASE_URL": owner_url}
    assert cli("db", "upgrade", env=source).code == 0
    assert cli("ingest", str(notes), env=source).code == 0

    def run(url: str, *statements: str) -> list[object]:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                results = [connection.execute(text(s)) for s in statements]
                return [r.scalar() if r.returns_rows else None for r in results]
        finally:
            engine.dispose()

    run(owner_url, f"CREATE ROLE {role} LOGIN",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT SELECT, USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    try:
        app_url = make_url(owner_url).set(username=role).render_as_string(hide_password=False)
        made = cli("backup", str(tmp_path / "backup"), env={**source, "ASSISTANT_DATABASE_URL": app_url})
        assert made.code == 0, made.err
        target = {"ASSISTANT_HOME": str(tmp_path / "target"), "ASSISTANT_DATABASE_URL": target_url}
        restored = cli("restore", str(tmp_path / "backup"), env=target)
        assert restored.code == 0, restored.err
        assert run(target_url, "SELECT count(*) FROM documents", "SELECT count(*) > 0 FROM chunks",
                   f"SELECT has_table_privilege('{role}', 'documents', 'SELECT')") == [1, True, True]
    finally:
        for url in (owner_url, target_url):
            run(url, f"DROP OWNED BY {role}")
        run(owner_url, f"DROP ROLE {role}")
