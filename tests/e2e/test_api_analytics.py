"""GET /api/v1/analytics over real HTTP: your own figures, everyone's for an administrator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from tests.e2e.api_server import PROBLEM, Server, run_server, wait_processed
from tests.e2e.conftest import NOTES


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from run_server(tmp_path_factory.mktemp("analytics"))


def _ready_document(api: httpx.Client, name: str, text: str) -> str:
    uploaded = api.post("/api/v1/documents", files={"file": (name, text.encode(), "application/octet-stream")})
    assert uploaded.status_code == 202, uploaded.text
    doc_id = uploaded.json()["id"]
    assert wait_processed(api, doc_id)["status"] == "completed"
    return doc_id


def _ask(api: httpx.Client, doc_id: str, question: str) -> dict:
    answer = api.post(f"/api/v1/documents/{doc_id}/query", json={"question": question})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_own_and_global_analytics(server: Server) -> None:
    ann, bob = server.register(), server.register()
    doc = _ready_document(ann, "notes.md", NOTES)
    first = _ask(ann, doc, "When does the Berlin office open?")
    assert _ask(ann, doc, "when does the berlin office open")["cached"] is True
    _ask(ann, doc, "What are the payment terms?")
    _ask(bob, _ready_document(bob, "facts.txt", "The warehouse in Lyon stores 1200 pallets."), "How many pallets?")

    own = ann.get("/api/v1/analytics")
    assert own.status_code == 200, own.text
    body = own.json()
    today = datetime.now(UTC).date().isoformat()
    assert body["scope"] == "own" and body["active_users"] is None and body["last_day"] == today
    assert len(body["daily"]) == 30 and body["daily"][-1]["day"] == today
    assert body["totals"]["questions"] == 3 and body["totals"]["cached"] == 1
    assert body["daily"][-1]["questions"] == 3
    assert body["totals"]["tokens_in"] >= first["tokens_in"] > 0
    assert body["cache_hit_rate"] == pytest.approx(1 / 3, abs=1e-4)
    latency = body["latency_ms"]
    assert 0 <= latency["p50"] <= latency["p90"] <= latency["p99"]
    assert body["documents"]["by_kind"]["markdown"] == 1 and sum(body["documents"]["by_kind"].values()) == 1
    assert body["documents"]["by_status"]["completed"] == 1

    one_day = ann.get("/api/v1/analytics", params={"days": 1}).json()
    assert [d["day"] for d in one_day["daily"]] == [today] and one_day["totals"]["questions"] == 3

    denied = ann.get("/api/v1/analytics", params={"scope": "global"})
    assert denied.status_code == 403 and denied.headers["content-type"] == PROBLEM
    assert denied.json()["code"] == "permission_denied"

    server.cli("users", "create", "boss@example.com", "--password", "correct horse battery", "--admin")
    with server.client() as anonymous:
        tokens = anonymous.post("/api/v1/auth/login", json={"email": "boss@example.com",
                                                            "password": "correct horse battery"}).json()
    with server.client(tokens["access_token"]) as admin:
        everyone = admin.get("/api/v1/analytics", params={"scope": "global", "days": 7})
        assert everyone.status_code == 200, everyone.text
        body = everyone.json()
        assert body["scope"] == "global" and len(body["daily"]) == 7
        assert body["totals"]["questions"] == 4 and body["totals"]["cached"] == 1 and body["active_users"] == 2
        assert body["documents"]["by_kind"]["markdown"] == 1 and body["documents"]["by_kind"]["text"] == 1
        assert admin.get("/api/v1/analytics").json()["totals"]["questions"] == 0  # their own: none


@pytest.mark.parametrize("params", [{"days": 0}, {"days": 366}, {"days": "x"}, {"scope": "everyone"}])
def test_invalid_parameters_are_422_problems(server: Server, params: dict) -> None:
    with server.register() as api:
        response = api.get("/api/v1/analytics", params=params)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "invalid_input"


def test_analytics_need_a_token(server: Server) -> None:
    with server.client() as anonymous:
        response = anonymous.get("/api/v1/analytics")
    assert response.status_code == 401 and response.headers["content-type"] == PROBLEM
