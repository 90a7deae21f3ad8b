"""The API walking skeleton over real HTTP: `assistant serve` in a subprocess, httpx as the client."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from application.use_cases.upload_document import UploadDocumentCommand
from config.bootstrap import build_container, local_user

from tests.e2e.conftest import ASSISTANT, NOTES, clean_env

PROBLEM = "application/problem+json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    home = tmp_path_factory.mktemp("api")
    port = _free_port()
    env = {**clean_env(home), "ASSISTANT_PORT": str(port),
           "ASSISTANT_TIERS": json.dumps({"free": {"max_file_bytes": 64 * 1024}})}
    server = subprocess.Popen([str(ASSISTANT), "serve"], cwd=home, env=env,
                              stdout=subprocess.DEVNULL, stderr=(home / "server.log").open("w"))
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    try:
        if not _healthy(client):
            pytest.fail("server did not start: " + (home / "server.log").read_text())
        yield client
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=15)


def _healthy(client: httpx.Client, attempts: int = 150) -> bool:
    """Wait until the server answers /healthz."""
    for _ in range(attempts):
        try:
            if client.get("/healthz").status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    return False


def _upload(api: httpx.Client, name: str, data: bytes) -> httpx.Response:
    return api.post("/api/v1/documents", files={"file": (name, data, "application/octet-stream")})


def _wait_completed(api: httpx.Client, doc_id: str) -> dict:
    for _ in range(100):
        doc = api.get(f"/api/v1/documents/{doc_id}").json()
        if doc["status"] in ("completed", "failed"):
            return doc
        time.sleep(0.1)
    raise AssertionError("document not processed in time")


def test_health_docs_and_request_id(api: httpx.Client) -> None:
    health = api.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert health.json() == {"status": "ok"} and health.headers["x-request-id"] == "abc-123"
    assert api.get("/docs").status_code == 200
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/v1/documents", "/api/v1/documents/{document_id}", "/api/v1/documents/{document_id}/query"} <= set(paths)


def test_upload_list_get_and_ask(api: httpx.Client) -> None:
    uploaded = _upload(api, "notes.md", NOTES.encode())
    assert uploaded.status_code == 202, uploaded.text
    doc_id = uploaded.json()["id"]
    assert _wait_completed(api, doc_id)["status"] == "completed"
    assert doc_id in [d["id"] for d in api.get("/api/v1/documents").json()["items"]]

    answer = api.post(f"/api/v1/documents/{doc_id}/query", json={"question": "When does the Berlin office open?"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "9 am" in body["answer"]
    assert body["citations"] and 'section "Office"' in body["citations"][0]["label"]
    assert body["cached"] is False and body["model"] == "offline-extractive"
    again = api.post(f"/api/v1/documents/{doc_id}/query", json={"question": "when does the berlin office open"})
    assert again.json()["cached"] is True and again.json()["answer"] == body["answer"]

    duplicate = _upload(api, "copy.md", NOTES.encode())
    assert duplicate.json()["duplicate"] is True and duplicate.json()["id"] == doc_id


def test_errors_are_problem_details(api: httpx.Client) -> None:
    missing = api.get(f"/api/v1/documents/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert missing.json()["code"] == "document_not_found"

    empty = _upload(api, "empty.txt", b"")
    assert empty.status_code == 422 and empty.json()["code"] == "file_empty"
    binary = _upload(api, "x.bin", bytes(range(256)) * 4)
    assert binary.status_code == 415 and binary.json()["code"] == "unsupported_file_type"
    too_big = _upload(api, "big.txt", b"word " * 20_000)
    assert too_big.status_code == 413 and too_big.json()["code"] == "file_too_large"

    assert api.get("/api/v1/documents/not-a-uuid").status_code == 422
    assert api.get("/api/v1/documents", params={"cursor": "%%%"}).json()["code"] == "invalid_input"
    no_question = api.post(f"/api/v1/documents/{uuid.uuid4()}/query", json={})
    assert no_question.status_code == 422 and no_question.headers["content-type"] == PROBLEM
    for response in (missing, empty, binary, too_big, no_question):
        assert "Traceback" not in response.text


def test_documents_left_pending_by_a_stopped_server_are_processed_at_the_next_start(tmp_path: Path) -> None:
    """A document recorded but never processed (the process died first) is not lost."""
    env = clean_env(tmp_path)
    container = build_container(home=Path(env["ASSISTANT_HOME"]), queue_backend="inline", inline_workers=1)
    user = local_user(container)
    queue = container.queue()
    queue.shutdown()  # the process "dies" before the job runs: uploads stay recorded as pending
    document = container.upload_document()(UploadDocumentCommand(
        user_id=user.id, filename="notes.md", data=NOTES.encode())).document
    assert container.get_document()(user.id, document.id).status.value == "pending"
    container.engine().dispose()

    port = _free_port()
    server = subprocess.Popen([str(ASSISTANT), "serve", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            assert _healthy(client)
            assert _wait_completed(client, str(document.id))["status"] == "completed"
    finally:
        server.terminate()
        server.wait(timeout=15)
