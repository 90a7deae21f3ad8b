"""The CLI's smaller commands and its terminal manners, as a user runs them (issue 16, item 3):
``--version``, ``delete``, ``clear`` (confirmed, refused, ``--yes``), ``ask --library`` and
``ask --docs``, help screens without ``<bool>``, ``docs`` whole at 80 columns, INFO logs only with
``-v``, ``ingest`` output starting on its first line."""

from __future__ import annotations

import re
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.e2e.conftest import ASSISTANT, Cli, Run

TEAM = "# Support\n\nThe support team answers every ticket within 4 hours on working days.\n"
DOCUMENT_NOT_FOUND = 17


def run(cli: Cli, *args: str, stdin: str | None = None, drop: tuple[str, ...] = (), **env: str) -> Run:
    """Like ``cli(...)``, with text on stdin and settings removed from the environment (``drop``)."""
    environment = {k: v for k, v in {**cli.env, **env}.items() if k not in drop}
    done = subprocess.run([str(ASSISTANT), *args], cwd=cli.home, env=environment, input=stdin,
                          capture_output=True, text=True, timeout=120)
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def team(tmp_path: Path) -> Path:
    path = tmp_path / "team.md"
    path.write_text(TEAM, encoding="utf-8")
    return path


def ingested(cli: Cli, *paths: Path) -> list[dict]:
    result = cli("ingest", *map(str, paths), "--json")
    assert result.code == 0, result.err
    return result.json()


def test_version_comes_from_the_package_metadata(cli: Cli) -> None:
    result = cli("--version")
    assert result.code == 0 and result.out.strip() == f"assistant {version('ai-business-assistant')}"


def test_delete_by_id_prefix_or_file_name(cli: Cli, notes: Path, team: Path) -> None:
    first, second = ingested(cli, notes, team)
    deleted = cli("delete", first["id"][:8])
    assert deleted.code == 0, deleted.err
    assert first["id"] in deleted.out and "notes.md" in deleted.out
    assert cli("delete", "team.md", "--json").json()["id"] == second["id"]
    assert cli("docs", "--json").json() == []
    again = cli("delete", "team.md")
    assert again.code == DOCUMENT_NOT_FOUND and again.err.count("\n") == 1


def test_clear_asks_first_and_a_refusal_deletes_nothing(cli: Cli, notes: Path, team: Path) -> None:
    ingested(cli, notes, team)
    refused = run(cli, "clear", stdin="n\n")
    assert refused.code == 1 and "all 2 of your documents" in refused.err
    assert run(cli, "clear", stdin="").code != 0  # no answer (not a terminal): nothing deleted either
    assert len(cli("docs", "--json").json()) == 2

    confirmed = run(cli, "clear", stdin="y\n")
    assert confirmed.code == 0 and "2 document(s) deleted" in confirmed.out
    assert cli("docs", "--json").json() == []


def test_clear_yes_deletes_without_asking(cli: Cli, notes: Path, team: Path) -> None:
    ingested(cli, notes, team)
    result = run(cli, "clear", "--yes", "--json", stdin="")
    assert result.code == 0 and result.json() == {"deleted": 2} and "[y/N]" not in result.err
    assert cli("docs", "--json").json() == []


def test_ask_about_the_whole_library_or_several_documents(cli: Cli, notes: Path, team: Path) -> None:
    payments, _ = ingested(cli, notes, team)
    library = cli("ask", "--library", "Within how many days are invoices payable?", "--json")
    assert library.code == 0, library.err
    answer = library.json()
    assert "30 days" in answer["answer"] and answer["document_id"] is None
    assert {c["document_id"] for c in answer["citations"]} == {payments["id"]}

    several = cli("ask", "--docs", f"{payments['id'][:8]},team.md", "How fast does the support team answer?")
    assert several.code == 0, several.err
    assert "4 hours" in several.out and "team.md, " in several.out  # a citation names its file

    assert cli("ask", "--docs", "notes.md", "--library", "anything?").code == 10
    assert cli("ask", "--library", notes.name, "two arguments?").code == 10
    assert cli("ask", "only a question?").code == 10


@pytest.mark.parametrize("command", [(), ("ingest",), ("docs",), ("doc",), ("ask",), ("delete",), ("clear",),
                                     ("usage",), ("users", "create"), ("worker",), ("reindex",), ("bot",),
                                     ("db", "upgrade")])
def test_help_shows_no_type_noise(cli: Cli, command: tuple[str, ...]) -> None:
    result = run(cli, *command, "--help", COLUMNS="80")
    assert result.code == 0, result.err
    assert "<bool>" not in result.out and "<int>" not in result.out and "<list[" not in result.out
    assert "{" not in result.out.splitlines()[1]  # the usage line: FILE..., DOCUMENT, not {files}...


def test_docs_fits_80_columns_with_the_date_and_the_extractor_whole(cli: Cli, tmp_path: Path) -> None:
    long_name = tmp_path / "quarterly-payment-terms-and-office-opening-hours-2026.md"
    long_name.write_text("# Terms\n\nInvoices are payable within 30 days.\n", encoding="utf-8")
    broken = tmp_path / "scan.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    [doc] = ingested(cli, long_name)
    [failed] = cli("ingest", str(broken), "--json").json()
    assert failed["status"] == "failed", failed
    listed = run(cli, "docs", COLUMNS="80")
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    reason = f"{failed['id'][:8]}  {failed['error_code']}: {failed['error_message']}"
    assert lines[-1] == reason  # a failure's reason below the table, whole
    assert all(len(line.rstrip()) <= 80 for line in lines[:-1])
    row = next(line for line in lines if line.startswith(doc["id"][:8]))
    assert re.search(r"\s\d{4}-\d{2}-\d{2}$", row.rstrip()), row  # the date whole, at the end
    assert " text 1 " in row and " completed " in row and " markdown " in row
    assert "quarterly-payment" in row and "…" in row  # only the long file name is cut
    assert " failed " in next(line for line in lines if line.startswith(failed["id"][:8]))


def test_info_logs_only_with_verbose(cli: Cli, notes: Path) -> None:
    quiet = run(cli, "ingest", str(notes), drop=("ASSISTANT_LOG_LEVEL",))
    assert quiet.code == 0, quiet.err
    assert "process_started" not in quiet.out + quiet.err and "[info" not in quiet.out + quiet.err

    notes.write_text(notes.read_text(encoding="utf-8") + "\nA second version.\n", encoding="utf-8")  # not a duplicate
    verbose = run(cli, "-v", "ingest", str(notes), drop=("ASSISTANT_LOG_LEVEL",))
    assert verbose.code == 0, verbose.err
    assert "process_started" in verbose.err and "process_started" not in verbose.out


def test_ingest_output_starts_on_the_first_line(cli: Cli, notes: Path) -> None:
    result = cli("ingest", str(notes))
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    assert re.fullmatch(r"[0-9a-f-]{36}  completed\s+\S*notes\.md", first), result.out
