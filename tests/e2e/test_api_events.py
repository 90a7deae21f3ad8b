"""WebSocket /api/v1/events end to end, with the `websockets` client against real `assistant serve`
processes: two API processes and an RQ worker on PostgreSQL + Redis (the worker's events reach the
user's sockets on both, and no one else's); the embedded profile (in-process queue and events);
the pending state first on every connect; credentials refused with 4401 / 4403, a cross-site cookie
refused; a ban or a logout closing an open socket; pings; a socket outliving the HTTP timeouts."""

from __future__ import annotations

import contextlib
import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.client import ClientProtocol
from websockets.exceptions import ConnectionClosed
from websockets.frames import Opcode
from websockets.sync.client import ClientConnection, connect
from websockets.uri import parse_uri

from adapters.auth.jwt_tokens import JwtTokenIssuer
from adapters.persistence.migrate import upgrade
from tests.e2e.api_server import Server, run_server, wait_processed
from tests.e2e.conftest import ASSISTANT, NOTES, stop

JWT_SECRET = "events-e2e-secret-of-at-least-32-characters"


def ws_url(server: Server, query: str = "") -> str:
    return server.base_url.replace("http://", "ws://") + "/api/v1/events" + query


def token_of(client: httpx.Client) -> str:
    return client.tokens["access_token"]  # type: ignore[attr-defined]


@contextlib.contextmanager
def events_of(server: Server, token: str | None = None, **options: Any) -> Iterator[ClientConnection]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with connect(ws_url(server, options.pop("query", "")), additional_headers={**headers, **options.pop(
            "headers", {})}, open_timeout=10, **options) as ws:
        yield ws


def received(ws: ClientConnection, timeout: float = 30) -> dict[str, Any]:
    return json.loads(ws.recv(timeout=timeout))


def until_settled(ws: ClientConnection, document_id: str) -> list[dict[str, Any]]:
    """The socket's events up to the document's completion or failure, without the connect-time
    state's "pending" (the server reads that state just after the client's connect returns, so a
    document uploaded at once may be in it: the socket is subscribed first and misses nothing)."""
    seen = [received(ws)]
    while not (seen[-1]["type"] in ("document.completed", "document.failed") and seen[-1]["document_id"] == document_id):
        seen.append(received(ws))
    return [e for e in seen if not (e["type"] == "document.progress" and e["status"] == "pending")]


def close_of(ws: ClientConnection, timeout: float = 15) -> tuple[int, str]:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            ws.recv(timeout=timeout)
    assert closed.value.rcvd is not None, "closed without a close frame"
    return closed.value.rcvd.code, closed.value.rcvd.reason


def refused(server: Server, **options: Any) -> tuple[int, str]:
    with events_of(server, **options) as ws:
        return close_of(ws)


def upload(client: httpx.Client, name: str = "notes.md", data: bytes = NOTES.encode()) -> str:
    response = client.post("/api/v1/documents", files={"file": (name, data)})
    assert response.status_code == 202, response.text
    return response.json()["id"]


# --- production: two API processes and an RQ worker --------------------------------------------

@pytest.fixture
def two_apis(tmp_path: Path, make_postgres_database: Callable[[], str], redis_server_url: str,
             redis_prefix: str) -> Iterator[tuple[Server, Server, dict[str, str]]]:
    url = make_postgres_database()
    upgrade(url)
    env = {"ASSISTANT_DATABASE_URL": url, "ASSISTANT_REDIS_URL": redis_server_url,
           "ASSISTANT_REDIS_PREFIX": redis_prefix, "ASSISTANT_JWT_SECRET": JWT_SECRET}
    with contextlib.ExitStack() as stack:
        servers = []
        for name in ("a", "b"):  # two processes, each its own home; one database, one Redis, one JWT secret
            (tmp_path / name).mkdir()
            servers.append(stack.enter_context(contextlib.contextmanager(run_server)(tmp_path / name, env)))
        yield servers[0], servers[1], servers[0].env


@pytest.mark.postgres
def test_a_workers_events_reach_the_users_sockets_on_both_api_processes(two_apis, tmp_path: Path) -> None:  # noqa: ANN001
    first, second, env = two_apis
    ann, bob = first.register(), first.register()
    with events_of(first, token_of(ann)) as on_first, events_of(second, token_of(ann)) as on_second, \
            events_of(first, token_of(bob)) as bobs:
        document_id = upload(ann)  # no worker yet: it waits in the queue
        with events_of(second, token_of(ann)) as reconnected:  # a client coming back gets the pending state first
            assert received(reconnected) == {"type": "document.progress", "document_id": document_id,
                                             "status": "pending", "progress_done": 0, "progress_total": 0}
            worker = subprocess.Popen([str(ASSISTANT), "worker"], cwd=tmp_path, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                seen = {name: until_settled(ws, document_id) for name, ws in
                        (("first", on_first), ("second", on_second), ("reconnected", reconnected))}
                bobs_own = upload(bob, "bob.md", b"# Bob\n\nBob's own notes.\n")
                bobs_events = until_settled(bobs, bobs_own)
            finally:
                stop(worker, signal.SIGTERM)
    for events in seen.values():
        assert events[0] == {"type": "document.progress", "document_id": document_id, "status": "processing",
                             "progress_done": 0, "progress_total": 0}
        assert {e["document_id"] for e in events} == {document_id}
        assert events[-1] == {"type": "document.completed", "document_id": document_id, "status": "completed",
                              "filename": "notes.md", "kind": "markdown", "page_count": None,
                              "chunks": events[-1]["chunks"], "notes": None} and events[-1]["chunks"] >= 1
        assert "user_id" not in events[-1]
    assert seen["first"] == seen["second"]
    assert {e["document_id"] for e in bobs_events} == {bobs_own}  # nothing of Ann's reached Bob's socket
    assert ann.get(f"/api/v1/documents/{document_id}").json()["status"] == "completed"
    ann.close()
    bob.close()


# --- the embedded profile ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from run_server(tmp_path_factory.mktemp("events"), {
        "ASSISTANT_EVENTS_PING_SECONDS": "0.5", "ASSISTANT_EVENTS_RECHECK_SECONDS": "1",
        "ASSISTANT_HEADER_TIMEOUT_SECONDS": "1", "ASSISTANT_BODY_RATE_WINDOW_SECONDS": "1"})


def test_the_embedded_profile_delivers_processing_and_quota_events(embedded: Server) -> None:
    with embedded.register() as ann, embedded.register() as bob, events_of(embedded, token_of(ann)) as ws, \
            events_of(embedded, token_of(bob)) as bobs:
        document_id = upload(ann)
        events = until_settled(ws, document_id)
        assert [e["type"] for e in events][-1] == "document.completed" and events[0]["status"] == "processing"
        answer = ann.post(f"/api/v1/documents/{document_id}/query", json={"question": "When are invoices payable?"})
        assert answer.status_code == 200, answer.text
        quota = received(ws)
        assert quota["type"] == "quota.changed" and quota["tier"] == "free"
        assert [(w["window"], w["used"], w["remaining"]) for w in quota["windows"]] == [
            ("minute", 1, 9), ("hour", 1, 99), ("day", 1, 499)]
        broken = upload(bob, "broken.pdf", b"%PDF-1.7\nnot really a pdf")
        failed = until_settled(bobs, broken)  # the first thing Bob hears is his own
        assert {e["document_id"] for e in failed} == {broken} and failed[-1]["type"] == "document.failed"
        assert failed[-1]["error_code"] and failed[-1]["error_message"]


def test_missing_bad_and_banned_credentials_are_closed_with_4401_and_4403(embedded: Server) -> None:
    assert refused(embedded)[0] == 4401
    assert refused(embedded, query="?access_token=not-a-token")[0] == 4401
    assert refused(embedded, headers={"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."})[0] == 4401
    assert refused(embedded, headers={"X-API-Key": "ak_" + "x" * 43})[0] == 4401
    email = f"banned-{time.time_ns()}@example.com"
    with embedded.register(email) as dave:
        embedded.cli("users", "ban", email)
        code, reason = refused(embedded, token=token_of(dave))
        assert code == 4403 and "banned" in reason.lower()


def test_an_api_key_works_and_a_revoked_one_is_refused(embedded: Server) -> None:
    with embedded.register() as ann:
        key = ann.post("/api/v1/api-keys", json={"name": "events"}).json()
        document_id = upload(ann)
        assert wait_processed(ann, document_id)["status"] == "completed"
        for headers in ({"X-API-Key": key["key"]}, {"Authorization": f"Bearer {key['key']}"}):
            with events_of(embedded, headers=headers) as ws:
                asked = ann.post(f"/api/v1/documents/{document_id}/query",
                                 json={"question": "When are invoices payable?"})
                assert asked.status_code == 200, asked.text
                assert received(ws)["type"] == "quota.changed"  # nothing pending: the first is the live one
        assert ann.delete(f"/api/v1/api-keys/{key['id']}").status_code in (200, 204)
        assert refused(embedded, headers={"X-API-Key": key["key"]})[0] == 4401


def test_a_ban_or_a_logout_closes_an_open_socket(embedded: Server) -> None:
    email = f"later-{time.time_ns()}@example.com"
    with embedded.register(email) as eve, events_of(embedded, token_of(eve)) as ws:
        embedded.cli("users", "ban", email)
        assert close_of(ws)[0] == 4403  # at the next recheck (ASSISTANT_EVENTS_RECHECK_SECONDS=1 here)
    with embedded.register() as fay, events_of(embedded, token_of(fay)) as ws:
        assert fay.post("/api/v1/auth/logout").status_code in (200, 204)
        assert close_of(ws)[0] == 4401


def test_the_session_cookie_works_only_from_the_servers_own_origin(embedded: Server) -> None:
    with embedded.register() as ann:
        issuer = JwtTokenIssuer(secret=embedded.jwt_secret, ttls={"access": 900, "refresh": 3600, "web": 3600})
        claims = issuer.read(token_of(ann), kind="access")
        cookie = {"Cookie": "assistant_session=" + issuer.issue(claims.user_id, kind="web",
                                                                session_id=claims.session_id)}
        assert refused(embedded, headers=cookie, origin="http://evil.example")[0] == 4403
        assert refused(embedded, headers=cookie)[0] == 4403  # no Origin: not a page of this server
        document_id = upload(ann)
        assert wait_processed(ann, document_id)["status"] == "completed"
        with events_of(embedded, headers=cookie, origin=embedded.base_url) as ws:
            asked = ann.post(f"/api/v1/documents/{document_id}/query", json={"question": "When are invoices payable?"})
            assert asked.status_code == 200, asked.text
            assert received(ws)["type"] == "quota.changed"


def test_an_idle_socket_is_pinged_and_outlives_the_http_timeouts(embedded: Server) -> None:
    with embedded.register() as ann:
        host, port = embedded.base_url.removeprefix("http://").split(":")
        protocol = ClientProtocol(parse_uri(ws_url(embedded, f"?access_token={token_of(ann)}")))
        with socket.create_connection((host, int(port)), timeout=10) as raw:
            protocol.send_request(protocol.connect())
            raw.sendall(b"".join(protocol.data_to_send()))
            pings = 0
            while pings < 3:  # the server pings every 0.5 s (its header and body windows are 1 s)
                data = raw.recv(65536)
                assert data, "the server closed the socket"
                protocol.receive_data(data)
                pings += sum(1 for e in protocol.events_received() if getattr(e, "opcode", None) is Opcode.PING)
                raw.sendall(b"".join(protocol.data_to_send()))  # our pongs
        with events_of(embedded, token_of(ann)) as ws:
            time.sleep(2.5)  # longer than the header timeout and the body-rate window
            document_id = upload(ann)
            assert until_settled(ws, document_id)[-1]["type"] == "document.completed"


README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_client_prints_the_events(embedded: Server, tmp_path: Path) -> None:
    section = README.read_text(encoding="utf-8").split("## Real-time events", 1)[1]
    client = re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)  # type: ignore[union-attr]
    email = f"readme-{time.time_ns()}@example.com"
    client = client.replace('"http://127.0.0.1:8000"', repr(embedded.base_url)).replace(
        '"ann@example.com"', repr(email))
    (tmp_path / "events_client.py").write_text(client, encoding="utf-8")
    with embedded.register(email) as ann:
        waiting = upload(ann, "first.md")
        assert wait_processed(ann, waiting)["status"] == "completed"
        process = subprocess.Popen([sys.executable, "events_client.py"], cwd=tmp_path, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(2)  # connected (nothing pending: it prints nothing yet)
            document_id = upload(ann, "second.md", b"# Second\n\nDelivery takes five days.\n")
            lines = []
            while not (lines and lines[-1].startswith("document.completed")):
                lines.append(process.stdout.readline().strip())  # type: ignore[union-attr]
                assert lines[-1], process.stderr.read()  # type: ignore[union-attr]
        finally:
            process.terminate()
            process.wait(10)
    assert lines[0] == f"document.progress {document_id} processing"
    assert lines[-1] == f"document.completed {document_id} completed"
