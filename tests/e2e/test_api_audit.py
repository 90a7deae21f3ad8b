"""The audit log end to end, on PostgreSQL as deployed with row-level security: the API connects as
an application role that neither owns the tables nor bypasses RLS (tests/app_role.py), every
sensitive operation done over HTTP (and the two the CLI does) leaves its entry with who, what,
target, when, client address and request id, and only administrators read it, filtered and paged."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.app_role import app_role_database
from tests.e2e.api_server import PROBLEM, Server, run_server, wait_processed
from tests.e2e.conftest import ASSISTANT

pytestmark = pytest.mark.postgres
PASSWORD = "correct horse battery"
TERMS = b"# Terms\n\nInvoices are payable within 30 days of receipt.\n\nDelivery takes five days.\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, make_postgres_database: Callable[[], str]) -> Iterator[Server]:
    with app_role_database(make_postgres_database) as (_, app_url):
        yield from run_server(tmp_path_factory.mktemp("api-audit"), {
            "ASSISTANT_DATABASE_URL": app_url, "ASSISTANT_DATABASE_ROW_SECURITY": "true",
            "ASSISTANT_DATABASE_AUTO_MIGRATE": "false", "ASSISTANT_QUEUE_BACKEND": "inline"})


@pytest.fixture(scope="module")
def admin(server: Server) -> Iterator[httpx.Client]:
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    server.cli("users", "create", email, "--password", PASSWORD, "--admin")
    with server.client() as anonymous:
        token = anonymous.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()["access_token"]
    with server.client(token) as client:
        yield client


def audit(admin: httpx.Client, **params: object) -> list[dict]:
    response = admin.get("/api/v1/admin/audit", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def one(entries: list[dict], action: str, target: str) -> dict:
    found = [e for e in entries if e["action"] == action and e["target"] == target]
    assert len(found) == 1, (action, target, [(e["action"], e["target"]) for e in entries])
    return found[0]


def test_every_sensitive_operation_leaves_its_entry(server: Server, admin: httpx.Client) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    email = f"ann-{uuid.uuid4().hex[:8]}@example.com"
    with server.register(email, PASSWORD) as ann:
        me = ann.get("/api/v1/users/me").json()["id"]
        with server.client() as anonymous:
            refused = anonymous.post("/api/v1/auth/login", json={"email": email, "password": "wrong password"},
                                     headers={"X-Request-ID": "req-wrong-password"})
            assert refused.status_code == 401
            pair = anonymous.post("/api/v1/auth/refresh", json={"refresh_token": ann.tokens["refresh_token"]},  # type: ignore[attr-defined]
                                  headers={"X-Request-ID": "req-refresh"})
            assert pair.status_code == 200, pair.text
        key = ann.post("/api/v1/api-keys", json={"name": "ci"}).json()
        assert ann.delete(f"/api/v1/api-keys/{key['id']}").status_code == 204
        kept, gone = (ann.post("/api/v1/documents", files={"file": (n, TERMS + n.encode())}).json()["id"]
                      for n in ("a.md", "b.md"))
        assert wait_processed(ann, kept)["status"] == wait_processed(ann, gone)["status"] == "completed"  # by the worker role
        assert ann.post(f"/api/v1/documents/{kept}/query", json={"question": "When are invoices payable?"}
                        ).status_code == 200
        thread = ann.post("/api/v1/threads", json={"document_ids": [kept]}).json()["id"]
        assert ann.get(f"/api/v1/threads/{thread}/export", params={"format": "md"}).status_code == 200
        assert ann.get("/api/v1/threads/history/export", params={"format": "json"}).status_code == 200
        assert ann.delete(f"/api/v1/documents/{gone}", headers={"X-Request-ID": "req-delete"}).status_code == 204
        assert admin.put(f"/api/v1/users/{me}/tier", json={"tier": "premium"}).status_code == 200
        assert admin.post(f"/api/v1/users/{me}/ban").status_code == 200
        assert admin.post(f"/api/v1/users/{me}/unban").status_code == 200
        assert admin.get("/api/v1/analytics", params={"scope": "global"}).status_code == 200
        server.cli("clear", "--yes", "--user", email)
        server.cli("retention", "run", "--dry-run")
        logout = server.client(pair.json()["access_token"])
        assert logout.post("/api/v1/auth/logout").status_code == 204
        logout.close()

    entries = audit(admin, since=started.isoformat())
    admin_id = admin.get("/api/v1/users/me").json()["id"]
    failed = one(entries, "sign_in_failed", email)
    assert failed["actor_id"] is None and failed["data"] == {"reason": "invalid_credentials"}
    assert failed["request_id"] == "req-wrong-password" and failed["client_address"] == "127.0.0.1"
    refreshed = [e for e in entries if e["action"] == "token_refreshed"]
    assert [(e["actor_id"], e["request_id"]) for e in refreshed] == [(me, "req-refresh")]
    assert [e["data"]["reason"] for e in entries if e["action"] == "session_ended" and e["actor_id"] == me] == ["logout"]
    assert len([e for e in entries if e["action"] == "sign_in" and e["actor_id"] == me]) == 1
    assert one(entries, "api_key_created", key["id"])["data"]["name"] == "ci"
    assert one(entries, "api_key_revoked", key["id"])["actor_id"] == me
    deleted = one(entries, "document_deleted", gone)
    assert (deleted["actor_id"], deleted["data"], deleted["request_id"]) == (me, {"filename": "b.md"}, "req-delete")
    cleared = one(entries, "documents_cleared", me)
    assert cleared["data"] == {"documents": 1} and cleared["client_address"] is None  # the CLI: no request
    assert one(entries, "export", thread)["data"] == {"what": "thread", "format": "md"}
    assert one(entries, "export", me)["data"]["what"] == "history"
    tier = one(entries, "set_tier", me)
    assert (tier["actor_id"], tier["data"]) == (admin_id, {"from": "free", "to": "premium"})
    assert [e["data"]["to"] for e in entries if e["action"] == "set_status" and e["target"] == me] == ["active", "banned"]
    read = one(entries, "global_analytics_read", "analytics")
    assert read["actor_id"] == admin_id and read["client_address"] == "127.0.0.1" and read["request_id"]
    assert one(entries, "retention_run", "all tiers")["data"]["dry_run"] is True
    times = [e["created_at"] for e in entries]
    assert times == sorted(times, reverse=True)


def test_filters_and_cursor_pages(server: Server, admin: httpx.Client) -> None:
    email = f"bob-{uuid.uuid4().hex[:8]}@example.com"
    with server.register(email, PASSWORD) as bob:
        bob_id = bob.get("/api/v1/users/me").json()["id"]
        for name in ("one", "two", "three"):
            assert bob.post("/api/v1/api-keys", json={"name": name}).status_code == 201
    mine = audit(admin, actor=bob_id)
    assert sorted(e["action"] for e in mine) == ["api_key_created"] * 3 + ["sign_in"]
    assert [e["data"]["name"] for e in audit(admin, actor=bob_id, action="api_key_created")] == ["three", "two", "one"]
    assert [e["actor_id"] for e in audit(admin, action="sign_in_failed", target=email)] == []
    walked, cursor = [], None
    while True:
        page = admin.get("/api/v1/admin/audit", params={"actor": bob_id, "limit": 1, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200
        walked += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert [e["id"] for e in walked] == [e["id"] for e in mine]
    newest = mine[0]["created_at"]
    assert audit(admin, actor=bob_id, since=newest)[0]["id"] == mine[0]["id"]
    assert mine[0]["id"] not in {e["id"] for e in audit(admin, actor=bob_id, until=newest)}
    bad = admin.get("/api/v1/admin/audit", params={"since": "yesterday"})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM


def test_only_administrators_read_the_audit_log(server: Server) -> None:
    with server.register() as carol:
        refused = carol.get("/api/v1/admin/audit")
        assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
        assert refused.json()["code"] == "permission_denied"
    with server.client() as anonymous:
        assert anonymous.get("/api/v1/admin/audit").status_code == 401


def test_the_cli_reads_the_same_log(server: Server) -> None:
    email = f"dan-{uuid.uuid4().hex[:8]}@example.com"
    with server.client() as anonymous:
        assert anonymous.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).status_code == 401
    out = json.loads(server.cli("audit", "--action", "sign_in_failed", "--target", email, "--json").stdout)
    assert [(e["action"], e["target"], e["client_address"]) for e in out["items"]] == [
        ("sign_in_failed", email, "127.0.0.1")] and out["next_cursor"] is None
    first = json.loads(server.cli("audit", "--limit", "1", "--json").stdout)
    second = json.loads(server.cli("audit", "--limit", "1", "--cursor", first["next_cursor"], "--json").stdout)
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert first["items"][0]["created_at"] >= second["items"][0]["created_at"]
    shown = subprocess.run([str(ASSISTANT), "audit", "--action", "sign_in_failed", "--target", email],
                           cwd=server.home, env={**server.env, "COLUMNS": "160"}, capture_output=True, text=True,
                           timeout=60, check=True).stdout
    assert "sign_in_failed" in shown and email in shown and "127.0.0.1" in shown
    bad = subprocess.run([str(ASSISTANT), "audit", "--cursor", "nonsense"], cwd=server.home, env=server.env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 10 and "cursor" in bad.stderr and "Traceback" not in bad.stderr
