"""The CLI as a user runs it: ingest, ask, docs, usage, users; errors as one line and an exit code."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.corpus import corpus_path
from tests.e2e.conftest import Cli
from tests.llm_stubs import StubServer, gemini_stream

EXIT = {"file_empty": 22, "document_not_found": 17, "user_banned": 12, "document_quota_exceeded": 21,
        "unsupported_file_type": 24, "permission_denied": 16, "config": 78, "no_input": 66}


def test_ingest_then_ask_answers_with_a_citation(cli: Cli, notes: Path) -> None:
    ingested = cli("ingest", str(notes), "--json")
    assert ingested.code == 0, ingested.err
    [doc] = ingested.json()
    assert doc["status"] == "completed" and doc["kind"] == "markdown" and doc["filename"] == "notes.md"

    asked = cli("ask", doc["id"], "Within how many days are invoices payable?", "--json")
    assert asked.code == 0, asked.err
    answer = asked.json()
    assert "30 days" in answer["answer"]
    assert answer["citations"], answer
    assert 'section "Payment terms"' in answer["citations"][0]["label"]
    assert answer["model"] == "offline-extractive" and answer["cached"] is False

    by_prefix = cli("ask", doc["id"][:8], "within how many days are invoices payable", "--json")
    assert by_prefix.code == 0 and by_prefix.json()["document_id"] == doc["id"]

    human = cli("ask", doc["id"], "When does the Berlin office open?")
    assert human.code == 0 and "9 am" in human.out and "Sources:" in human.out


def test_docs_and_usage_report_in_json(cli: Cli, notes: Path) -> None:
    [doc] = cli("ingest", str(notes), "--json").json()
    listed = cli("docs", "--json").json()
    assert [d["id"] for d in listed] == [doc["id"]]
    cli("ask", doc["id"], "payment terms?", "--json")
    usage = cli("usage", "--json").json()
    minute = next(w for w in usage["windows"] if w["window"] == "minute")
    assert usage["tier"] == "free" and usage["documents"] == {"used": 1, "allowed": 10}
    assert minute["limit"] == 10 and minute["used"] + minute["remaining"] == 10


def test_bad_input_gets_one_line_and_its_exit_code(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli("ingest", str(empty), "--json")
    assert result.code == EXIT["file_empty"]
    assert result.json()[0]["error_code"] == "file_empty"

    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    assert cli("ingest", str(binary)).code == EXIT["unsupported_file_type"]

    missing = cli("ask", str(uuid.uuid4()), "anything?")
    assert missing.code == EXIT["document_not_found"]
    assert missing.err.strip().count("\n") == 0 and "Traceback" not in missing.err

    assert cli("ingest", str(tmp_path / "nope.pdf")).code == EXIT["no_input"]


def test_invalid_configuration_stops_with_one_line_naming_the_setting(cli: Cli, notes: Path) -> None:
    result = cli("docs", env={"ASSISTANT_LLM_BACKEND": "gemini"})
    assert result.code == EXIT["config"]
    assert "ASSISTANT_GEMINI_API_KEY" in result.err and result.err.strip().count("\n") == 0

    bad_port = cli("docs", env={"ASSISTANT_PORT": "eighty"})
    assert bad_port.code == EXIT["config"] and "ASSISTANT_PORT" in bad_port.err


def test_user_administration_and_a_banned_user(cli: Cli, notes: Path) -> None:
    created = cli("users", "create", "ann@example.com", "--password", "correct horse", "--json")
    assert created.code == 0, created.err
    assert created.json()["tier"] == "free"
    assert cli("users", "set-tier", "ann@example.com", "premium", "--json").json()["tier"] == "premium"
    emails = [u["email"] for u in cli("users", "list", "--json").json()]
    assert "ann@example.com" in emails and "local@localhost" in emails

    assert cli("ingest", str(notes), "--user", "ann@example.com").code == 0
    assert cli("users", "ban", "ann@example.com").code == 0
    banned = cli("docs", "--user", "ann@example.com")
    assert banned.code == EXIT["user_banned"] and "banned" in banned.err
    assert cli("users", "unban", "ann@example.com").code == 0
    assert len(cli("docs", "--user", "ann@example.com", "--json").json()) == 1
    assert cli("users", "ban", "local@localhost").code == EXIT["permission_denied"]


def test_a_free_users_eleventh_document_is_refused(cli: Cli, tmp_path: Path) -> None:
    assert cli("users", "create", "bob@example.com").code == 0
    files = []
    for i in range(11):
        path = tmp_path / f"note{i}.txt"
        path.write_text(f"Note number {i}. The code word is alpha{i}.", encoding="utf-8")
        files.append(str(path))
    result = cli("ingest", *files, "--user", "bob@example.com", "--json")
    assert result.code == EXIT["document_quota_exceeded"]
    statuses = [d["status"] for d in result.json()]
    assert statuses[:10] == ["completed"] * 10 and statuses[10] == "rejected"
    assert len(cli("docs", "--user", "bob@example.com", "--json").json()) == 10


def test_logs_are_json_lines_with_job_ids_in_production_format(cli: Cli, notes: Path) -> None:
    result = cli("ingest", str(notes), "--json", env={"ASSISTANT_LOG_FORMAT": "json", "ASSISTANT_LOG_LEVEL": "INFO"})
    assert result.code == 0, result.err
    events = [json.loads(line) for line in result.err.splitlines() if line.strip()]
    completed = next(e for e in events if e["event"] == "process_completed")
    assert completed["document_id"] == result.json()[0]["id"]
    assert completed["job_id"] and completed["level"] == "info" and completed["timestamp"]


def test_a_real_pdf_is_answered_with_page_citations_without_any_key(cli: Cli) -> None:
    pdf = corpus_path("pdf/text/federal-register-2020-17221.pdf")
    [doc] = cli("ingest", str(pdf), "--json").json()
    assert doc["status"] == "completed" and doc["page_count"] == 15
    answer = cli("ask", doc["id"], "What is the effective date of this AD?", "--json")
    assert answer.code == 0, answer.err
    labels = [c["label"] for c in answer.json()["citations"]]
    assert labels and all(label.startswith("page ") for label in labels)
    assert "Building index" not in answer.err  # no library debug noise at the default level


def test_with_the_gemini_backend_ask_goes_through_google_genai(cli: Cli, notes: Path) -> None:
    [doc] = cli("ingest", str(notes), "--json").json()
    stub = StubServer([gemini_stream(["Invoices are payable ", "within 30 days [1]."])], repeat_last=True)
    with stub.running():
        env = {"ASSISTANT_LLM_BACKEND": "gemini", "ASSISTANT_GEMINI_API_KEY": "test-key",
               "ASSISTANT_GEMINI_BASE_URL": stub.url}
        answer = cli("ask", doc["id"], "When are invoices payable?", "--json", env=env)
    assert answer.code == 0, answer.err
    body = answer.json()
    assert body["answer"] == "Invoices are payable within 30 days [1]." and body["model"] == "gemini-2.5-flash"
    assert (body["tokens_in"], body["tokens_out"]) == (7, 3)
    assert 'section "Payment terms"' in body["citations"][0]["label"]
    [request] = stub.requests
    assert request.path.endswith("models/gemini-2.5-flash:streamGenerateContent?alt=sse")
    assert request.headers["x-goog-api-key"] == "test-key"

    with stub.running():  # the server gone: a clear error, not a traceback
        down = stub.url
    # another question: the first one's answer is cached (shared by processes on the embedded profile)
    unreachable = cli("ask", doc["id"], "What fee do late payments incur?",
                      env={**env, "ASSISTANT_GEMINI_BASE_URL": down})
    assert unreachable.code == 75 and "Traceback" not in unreachable.err
