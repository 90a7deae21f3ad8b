"""A real `assistant serve` subprocess on a free port, and authenticated httpx clients for it."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx

from tests.e2e.conftest import ASSISTANT, clean_env
from tests.redis_process import free_port

PROBLEM = "application/problem+json"


def healthy(client: httpx.Client, attempts: int = 150, path: str = "/healthz") -> bool:
    """Wait until the server answers ``path`` (/healthz) with 200."""
    for _ in range(attempts):
        try:
            if client.get(path).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    return False


def wait_processed(api: httpx.Client, doc_id: str, timeout: float = 10.0) -> dict:
    """The document once its processing ended (completed or failed)."""
    for _ in range(int(timeout / 0.1)):
        doc = api.get(f"/api/v1/documents/{doc_id}").json()
        if doc["status"] in ("completed", "failed"):
            return doc
        time.sleep(0.1)
    raise AssertionError("document not processed in time")


@attrs.define
class Server:
    home: Path
    env: dict[str, str]
    base_url: str

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, timeout=30, headers=headers)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(ASSISTANT), *args], cwd=self.home, env=self.env, capture_output=True,
                              text=True, timeout=60, check=True)

    def register(self, email: str | None = None, password: str = "correct horse battery") -> httpx.Client:
        """A new user, registered and logged in over HTTP: a client carrying its access token."""
        email = email or f"{uuid.uuid4().hex[:10]}@example.com"
        with self.client() as anonymous:
            assert anonymous.post("/api/v1/auth/register", json={"email": email, "password": password}
                                  ).status_code == 201
            tokens = anonymous.post("/api/v1/auth/login", json={"email": email, "password": password}).json()
        client = self.client(tokens["access_token"])
        client.tokens = tokens  # type: ignore[attr-defined]
        return client

    @staticmethod
    def processed(client: httpx.Client, name: str, data: bytes, timeout: float = 10.0) -> dict:
        """Upload ``data`` as ``name`` with ``client`` and return the document once processed."""
        response = client.post("/api/v1/documents", files={"file": (name, data)})
        assert response.status_code == 202, response.text
        return wait_processed(client, response.json()["id"], timeout)

    @property
    def jwt_secret(self) -> str:
        return (Path(self.env["ASSISTANT_HOME"]) / "jwt-secret").read_text().strip()


def run_server(home: Path, extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    port = free_port()
    env = {**clean_env(home), "ASSISTANT_PORT": str(port), **(extra_env or {})}
    log = (home / "server.log").open("w")
    process = subprocess.Popen([str(ASSISTANT), "serve"], cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=log)
    server = Server(home=home, env=env, base_url=f"http://127.0.0.1:{port}")
    try:
        with server.client() as probe:
            if not healthy(probe):
                raise RuntimeError("server did not start: " + (home / "server.log").read_text())
        yield server
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()
        assert_no_secret_in((home / "server.log").read_text())


SECRET_MARKS = ("$argon2", "ak_")  # a password hash, an API key (or its prefix)


def assert_no_secret_in(log: str) -> None:
    """Every API server a test starts ends with this check of its whole log (issue 13: secrets
    reached the log through a traceback's SQL parameters)."""
    for mark in SECRET_MARKS:
        assert mark not in log, f"{mark!r} in the server log: " + log[max(0, log.find(mark) - 300):log.find(mark) + 100]
