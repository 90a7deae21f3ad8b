"""API keys over real HTTP (`assistant serve` in a subprocess): create, use, list, revoke."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.api_server import PROBLEM, Server, run_server

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from run_server(tmp_path_factory.mktemp("api-keys"))


@pytest.fixture
def owner(server: Server) -> Iterator[httpx.Client]:
    client = server.register()
    yield client
    client.close()


def _create(client: httpx.Client, name: str = "CI server") -> dict:
    response = client.post("/api/v1/api-keys", json={"name": name})
    assert response.status_code == 201, response.text
    return response.json()


def _with_key(server: Server, key: str, *, bearer: bool = False) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if bearer else {"X-API-Key": key}
    return httpx.Client(base_url=server.base_url, timeout=30, headers=headers)


def test_a_key_works_in_place_of_a_token_and_is_shown_only_once(server: Server, owner: httpx.Client) -> None:
    created = _create(owner)
    key = created["key"]
    assert key.startswith("ak_") and created["prefix"] == key[:11] and created["name"] == "CI server"
    me = owner.get("/api/v1/users/me").json()
    with _with_key(server, key) as machine:
        assert machine.get("/api/v1/users/me").json()["id"] == me["id"]
        documents = machine.get("/api/v1/documents")
        assert documents.status_code == 200 and documents.json()["items"] == []
        uploaded = machine.post("/api/v1/documents", files={"file": ("a.txt", b"Invoices are due in 30 days.",
                                                                     "text/plain")})
        assert uploaded.status_code == 202, uploaded.text
    with _with_key(server, key, bearer=True) as machine:  # `Authorization: Bearer ak_...` works too
        ids = [d["id"] for d in machine.get("/api/v1/documents").json()["items"]]
        assert ids == [uploaded.json()["id"]]
    listed = owner.get("/api/v1/api-keys")
    assert listed.status_code == 200 and key not in listed.text
    [item] = listed.json()
    assert "key" not in item and "hash" not in item
    assert item["id"] == created["id"] and item["prefix"] == created["prefix"] and item["revoked_at"] is None
    assert item["last_used_at"] is not None


def test_a_revoked_key_gets_401_and_revoking_again_is_fine(server: Server, owner: httpx.Client) -> None:
    created = _create(owner, "to be revoked")
    with _with_key(server, created["key"]) as machine:
        assert machine.get("/api/v1/documents").status_code == 200
        assert machine.delete(f"/api/v1/api-keys/{created['id']}").status_code == 204  # a key may revoke itself
        refused = machine.get("/api/v1/documents")
        assert refused.status_code == 401 and refused.headers["content-type"] == PROBLEM
        assert refused.json()["code"] == "invalid_credentials" and "www-authenticate" in refused.headers
    assert owner.delete(f"/api/v1/api-keys/{created['id']}").status_code == 204
    [item] = owner.get("/api/v1/api-keys").json()
    assert item["revoked_at"] is not None
    with _with_key(server, created["key"], bearer=True) as machine:
        assert machine.get("/api/v1/users/me").status_code == 401


def test_another_user_cannot_see_or_revoke_a_key(server: Server, owner: httpx.Client) -> None:
    created = _create(owner)
    with server.register() as intruder:
        refused = intruder.delete(f"/api/v1/api-keys/{created['id']}")
        assert refused.status_code == 404 and refused.json()["code"] == "api_key_not_found"
        assert intruder.get("/api/v1/api-keys").json() == []
        assert intruder.delete(f"/api/v1/api-keys/{uuid.uuid4()}").status_code == 404
    with _with_key(server, created["key"]) as machine:
        assert machine.get("/api/v1/documents").status_code == 200


def test_bad_keys_and_key_management_rules(server: Server, owner: httpx.Client) -> None:
    created = _create(owner)
    for bad in ("ak_" + "A" * 43, created["key"] + "x", "not-a-key"):
        with _with_key(server, bad) as machine:
            response = machine.get("/api/v1/documents")
            assert response.status_code == 401 and response.json()["code"] == "invalid_credentials", bad
    with _with_key(server, created["key"]) as machine:  # a leaked key cannot mint keys that outlive it
        minted = machine.post("/api/v1/api-keys", json={"name": "persistence"})
        assert minted.status_code == 403 and minted.json()["code"] == "permission_denied"
    for name in ("", "   ", "x" * 101):
        assert owner.post("/api/v1/api-keys", json={"name": name}).status_code == 422
    with server.client() as anonymous:
        assert anonymous.get("/api/v1/api-keys").status_code == 401
        assert anonymous.post("/api/v1/api-keys", json={"name": "x"}).status_code == 401


def test_a_banned_users_key_gets_403(server: Server) -> None:
    server.cli("users", "create", "keyadmin@example.com", "--password", "admin password", "--admin")
    with server.client() as anonymous:
        tokens = anonymous.post("/api/v1/auth/login", json={"email": "keyadmin@example.com",
                                                            "password": "admin password"}).json()
    with server.client(tokens["access_token"]) as admin, server.register() as erin:
        key = _create(erin)["key"]
        erin_id = erin.get("/api/v1/users/me").json()["id"]
        assert admin.post(f"/api/v1/users/{erin_id}/ban").json()["status"] == "banned"
        with _with_key(server, key) as machine:
            for response in (machine.get("/api/v1/documents"), machine.get("/api/v1/api-keys"),
                             machine.post("/api/v1/documents", files={"file": ("a.txt", b"text", "text/plain")})):
                assert response.status_code == 403 and response.json()["code"] == "user_banned"
        assert admin.post(f"/api/v1/users/{erin_id}/unban").json()["status"] == "active"
        with _with_key(server, key) as machine:
            assert machine.get("/api/v1/documents").status_code == 200
