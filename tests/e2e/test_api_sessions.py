"""Login throttling, login timing, refresh rotation, logout and password change over HTTP: two
`assistant serve` processes on one PostgreSQL database, their attempt counters on the real Redis."""

from __future__ import annotations

import contextlib
import statistics
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.e2e.api_server import PROBLEM, Server, run_server

pytestmark = pytest.mark.postgres
PASSWORD = "correct horse battery"
PER_PAIR = 4


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, make_postgres_database: Callable[[], str],
            redis_server_url: str) -> Iterator[tuple[Server, Server]]:
    shared = {"ASSISTANT_DATABASE_URL": make_postgres_database(), "ASSISTANT_DATABASE_AUTO_MIGRATE": "true",
              "ASSISTANT_REDIS_URL": redis_server_url, "ASSISTANT_REDIS_PREFIX": f"test-{uuid.uuid4().hex[:10]}:",
              "ASSISTANT_RATELIMIT_BACKEND": "redis", "ASSISTANT_JWT_SECRET": uuid.uuid4().hex * 2,
              "ASSISTANT_LOGIN_ATTEMPTS_PER_ACCOUNT_ADDRESS": str(PER_PAIR), "ASSISTANT_LOGIN_WINDOW_SECONDS": "600",
              "ASSISTANT_SESSION_RECHECK_SECONDS": "0"}
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(contextlib.contextmanager(run_server)(tmp_path_factory.mktemp("one"), shared))
        second = stack.enter_context(contextlib.contextmanager(run_server)(tmp_path_factory.mktemp("two"), shared))
        yield first, second


def login(server: Server, email: str, password: str = PASSWORD) -> httpx.Response:
    with server.client() as anonymous:
        return anonymous.post("/api/v1/auth/login", json={"email": email, "password": password})


def account(server: Server) -> str:
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    with server.client() as anonymous:
        assert anonymous.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
    return email


def me(server: Server, access_token: str) -> int:
    with server.client(access_token) as client:
        return client.get("/api/v1/users/me").status_code


def test_wrong_passwords_are_throttled_across_processes_with_retry_after(servers: tuple[Server, Server]) -> None:
    first, second = servers
    email = account(first)
    statuses = [login(server, email, "wrong password!").status_code for server in (first, second) * (PER_PAIR // 2)]
    assert statuses == [401] * PER_PAIR
    refused = login(second, email)  # the right password too: this address waits
    assert refused.status_code == 429 and refused.headers["content-type"].startswith(PROBLEM)
    assert refused.json()["code"] == "login_throttled" and 500 <= int(refused.headers["Retry-After"]) <= 600
    assert login(first, email).status_code == 429  # the other process counts the same attempts


def test_an_unknown_email_takes_as_long_as_a_known_one(servers: tuple[Server, Server]) -> None:
    first, _ = servers
    known = account(first)

    def timed(email: str) -> float:
        start = time.perf_counter()
        assert login(first, email, "wrong password!").status_code == 401
        return time.perf_counter() - start

    known_times = [timed(known) for _ in range(3)]
    unknown_times = [timed(f"{uuid.uuid4().hex}@example.com") for _ in range(3)]
    # argon2 runs for both (~0.35 s here); before, the unknown email answered in ~2 ms
    assert statistics.median(unknown_times) > 0.5 * statistics.median(known_times)


def test_a_refresh_token_works_once_and_its_reuse_ends_the_session(servers: tuple[Server, Server]) -> None:
    first, second = servers
    email = account(first)
    tokens = login(first, email).json()
    with first.client() as anonymous:
        renewed = anonymous.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert renewed.status_code == 200 and me(second, renewed.json()["access_token"]) == 200
        reused = anonymous.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert reused.status_code == 401 and reused.json()["code"] == "session_ended"
        newest = anonymous.post("/api/v1/auth/refresh", json={"refresh_token": renewed.json()["refresh_token"]})
        assert newest.status_code == 401  # the whole family ended with the reuse
    assert me(second, renewed.json()["access_token"]) == 401
    assert me(first, tokens["access_token"]) == 401


def test_logout_ends_the_session_in_every_process(servers: tuple[Server, Server]) -> None:
    first, second = servers
    email = account(first)
    kept, ended = login(first, email).json(), login(first, email).json()
    assert me(second, ended["access_token"]) == 200
    with first.client(ended["access_token"]) as client:
        assert client.post("/api/v1/auth/logout").status_code == 204
    assert me(second, ended["access_token"]) == 401 and me(first, ended["access_token"]) == 401
    with second.client() as anonymous:
        assert anonymous.post("/api/v1/auth/refresh", json={"refresh_token": ended["refresh_token"]}).status_code == 401
    assert me(second, kept["access_token"]) == 200  # another login of the same account goes on


def test_a_password_change_ends_every_session(servers: tuple[Server, Server]) -> None:
    first, second = servers
    email = account(first)
    sessions = [login(server, email).json() for server in (first, second)]
    with second.client(sessions[1]["access_token"]) as client:
        wrong = client.post("/api/v1/auth/password", json={"current_password": "not it at all",
                                                           "new_password": "battery staple horse"})
        assert wrong.status_code == 401
        changed = client.post("/api/v1/auth/password", json={"current_password": PASSWORD,
                                                             "new_password": "battery staple horse"})
    assert changed.status_code == 200, changed.text
    assert [me(first, s["access_token"]) for s in sessions] == [401, 401]
    assert me(first, changed.json()["access_token"]) == 200
    assert login(second, email).status_code == 401
    assert login(second, email, "battery staple horse").status_code == 200


def test_an_api_key_cannot_log_out_or_change_the_password(servers: tuple[Server, Server]) -> None:
    first, _ = servers
    email = account(first)
    tokens = login(first, email).json()
    with first.client(tokens["access_token"]) as client:
        key = client.post("/api/v1/api-keys", json={"name": "ci"}).json()["key"]
    with httpx.Client(base_url=first.base_url, headers={"X-API-Key": key}) as client:
        assert client.post("/api/v1/auth/logout").status_code == 403
        assert client.post("/api/v1/auth/password", json={"current_password": PASSWORD,
                                                          "new_password": "x" * 12}).status_code == 403


