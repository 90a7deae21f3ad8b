"""The HTTP boundary of a real `assistant serve` on PostgreSQL: control characters, body caps, the
streamed upload, and logs that carry no secret (issue 13, breaks 1, 2 and 10)."""

from __future__ import annotations

import select
import socket
import time
import uuid
from collections.abc import Callable, Iterator

import pytest

from tests.e2e.api_server import PROBLEM, SECRET_MARKS, Server, run_server

pytestmark = pytest.mark.postgres
MiB = 2**20



def spooled(server: Server) -> list[str]:
    """Files under the server's TMPDIR (the folder multiprocessing's fork server keeps its socket
    in, pymp-*, holds no request data and is left out)."""
    tmp = server.home / "tmp"
    return [str(p.relative_to(tmp)) for p in tmp.rglob("*")
            if not p.is_dir() and not p.relative_to(tmp).parts[0].startswith("pymp-")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, make_postgres_database: Callable[[], str]) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("boundary")
    (home / "tmp").mkdir()
    # TMPDIR: where Starlette spooled uploads before; it must stay empty now
    yield from run_server(home, {"ASSISTANT_DATABASE_URL": make_postgres_database(),
                                 "ASSISTANT_DATABASE_AUTO_MIGRATE": "true", "TMPDIR": str(home / "tmp"),
                                 "ASSISTANT_LOG_LEVEL": "INFO"})


def test_a_nul_byte_in_any_json_string_is_refused_with_422_and_logs_no_secret(server: Server) -> None:
    api = server.register()
    key = api.post("/api/v1/api-keys", json={"name": "ci"}).json()["key"]
    doc = api.post("/api/v1/documents", files={"file": ("n.md", b"# N\n\nThe fee is 2%.", "text/markdown")}).json()
    with server.client() as anonymous:
        for path, body in [("/api/v1/auth/login", {"email": "a\u0000@x.io", "password": "whatever1"}),
                           ("/api/v1/auth/login", {"email": "a@x.io", "password": "what\u0000ever1"}),
                           ("/api/v1/auth/register", {"email": f"{uuid.uuid4().hex[:8]}@x.io",
                                                      "password": "whatever1", "username": "a\u0000b"}),
                           ("/api/v1/auth/register", {"email": f"{uuid.uuid4().hex[:8]}@x.io",
                                                      "password": "whatever1", "username": "bell\u0007"})]:
            refused = anonymous.post(path, json=body)
            assert refused.status_code == 422, (path, refused.text)
            assert refused.headers["content-type"] == PROBLEM and refused.json()["code"] == "invalid_input"
    for path, body in [("/api/v1/api-keys", {"name": "x\u0000y"}),
                       (f"/api/v1/documents/{doc['id']}/query", {"question": "What\u0000 is the fee?"}),
                       ("/api/v1/query", {"question": "What is the fee?\u0000"})]:
        refused = api.post(path, json=body)
        assert refused.status_code == 422 and refused.json()["code"] == "invalid_input", refused.text
    assert api.get("/api/v1/documents", params={"cursor": "a\u0000"}).status_code == 422
    assert api.get("/api/v1/documents?kind=%00pdf").json()["code"] == "invalid_input"
    # tabs and line breaks are text, not control characters to refuse
    assert api.post("/api/v1/api-keys", json={"name": "two\tparts"}).status_code == 201
    with server.client() as key_client:
        assert key_client.get("/api/v1/users/me", headers={"X-API-Key": key}).status_code == 200
    log = (server.home / "server.log").read_text()
    assert "Traceback" not in log and "request_crashed" not in log
    for mark in SECRET_MARKS:
        assert mark not in log, mark


def test_json_bodies_are_capped_before_they_are_parsed(server: Server) -> None:
    big = b'{"email": "' + b"a" * (2 * MiB) + b'", "password": "x"}'
    with server.client() as anonymous:
        declared = anonymous.post("/api/v1/auth/login", content=big, headers={"content-type": "application/json"})
        chunked = anonymous.post("/api/v1/auth/login", content=iter([big[:MiB], big[MiB:]]),
                                 headers={"content-type": "application/json"})
        small = anonymous.post("/api/v1/auth/login", json={"email": "nobody@x.io", "password": "whatever1"})
    for refused in (declared, chunked):
        assert refused.status_code == 413 and refused.json()["code"] == "request_too_large", refused.text
    assert small.status_code == 401


def _stream_upload(server: Server, headers: dict[str, str], total: int, boundary: str = "b0undary",
                   chunked: bool = True) -> tuple[int, bytes]:
    """Send a multipart upload of ``total`` file bytes over a raw socket, as fast as the server
    takes them, until it answers; returns (bytes of the body sent, the answer's first bytes)."""
    host, port = server.base_url.removeprefix("http://").split(":")
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    lines = ["POST /api/v1/documents HTTP/1.1", f"Host: {host}", f"Content-Type: multipart/form-data; boundary={boundary}",
             *(f"{k}: {v}" for k, v in headers.items())]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {total + len(head)}")
    sock = socket.create_connection((host, int(port)))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    piece, sent, answer = b"x" * (256 * 1024), 0, b""
    payload = [head, *([piece] * (total // len(piece)))]
    deadline = time.monotonic() + 60
    try:
        for part in payload:
            frame = f"{len(part):x}\r\n".encode() + part + b"\r\n" if chunked else part
            view = memoryview(frame)
            while view:
                readable, writable, _ = select.select([sock], [sock], [], 1)
                if readable or time.monotonic() > deadline:
                    raise StopIteration
                if writable:
                    n = sock.send(view)
                    view, sent = view[n:], sent + n
    except (StopIteration, BrokenPipeError, ConnectionResetError):
        pass
    sock.settimeout(10)
    try:
        answer = sock.recv(65536)
    except (TimeoutError, ConnectionResetError):
        pass
    sock.close()
    return sent, answer


def test_an_anonymous_upload_is_refused_before_its_body_is_read(server: Server) -> None:
    sent, answer = _stream_upload(server, {}, 200 * MiB)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    assert sent < 2 * MiB, sent  # what the socket buffers took before the answer (about 260 KB here)
    assert spooled(server) == []


def test_an_upload_over_the_tier_cap_is_refused_while_it_streams(server: Server) -> None:
    api = server.register()
    token = api.headers["authorization"]
    sent, answer = _stream_upload(server, {"Authorization": token}, 200 * MiB)  # free tier: 20 MiB
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert 20 * MiB <= sent < 25 * MiB, sent
    declared_sent, declared = _stream_upload(server, {"Authorization": token}, 1024 * MiB, chunked=False)
    assert declared.startswith(b"HTTP/1.1 413") and declared_sent < 5 * MiB, (declared[:200], declared_sent)
    assert spooled(server) == []
    assert api.get("/api/v1/documents").json()["items"] == []  # nothing recorded either


def test_two_file_parts_are_refused_with_400(server: Server) -> None:
    api = server.register()
    refused = api.post("/api/v1/documents", files=[("file", ("a.md", b"# A\n\nOne.", "text/markdown")),
                                                   ("file", ("b.md", b"# B\n\nTwo.", "text/markdown"))])
    assert refused.status_code == 400 and refused.json()["code"] == "duplicate_file_part", refused.text
    one = api.post("/api/v1/documents", files={"file": ("a.md", b"# A\n\nOne.", "text/markdown")},
                   data={"password": ""})
    assert one.status_code == 202 and one.json()["filename"] == "a.md"
    no_file = api.post("/api/v1/documents", data={"password": "x"}, files={"other": ("a.md", b"x", "text/plain")})
    assert no_file.status_code == 422 and no_file.json()["code"] == "invalid_input"
    not_a_form = api.post("/api/v1/documents", content=b"plain", headers={"content-type": "text/plain"})
    assert not_a_form.status_code == 422


def test_the_server_log_of_this_module_holds_no_secret(server: Server) -> None:
    """After the other tests here (a crash path, keys, logins): the log greps clean."""
    log = (server.home / "server.log").read_text()
    assert "http_request" in log  # INFO access lines: the log is not empty by accident
    for mark in SECRET_MARKS:
        assert mark not in log, mark
