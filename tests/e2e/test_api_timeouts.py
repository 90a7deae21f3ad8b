"""Server timeouts of a real `assistant serve` (issue 13: 2,000 half-open requests were held for
100 s; a 40 s slow upload was accepted). The limits are shortened through the environment: headers
within 1 s, a body at 4 KiB/s over each 1 s window, kept-alive connections idle for 1 s."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.api_server import Server, run_server

HEADER_TIMEOUT = 1.0
LIMITS = {"ASSISTANT_HEADER_TIMEOUT_SECONDS": str(HEADER_TIMEOUT), "ASSISTANT_BODY_RATE_WINDOW_SECONDS": "1",
          "ASSISTANT_BODY_MIN_BYTES_PER_SECOND": "4096", "ASSISTANT_KEEP_ALIVE_SECONDS": "1",
          "ASSISTANT_MAX_HEADER_BYTES": "16384"}
NOTES = b"# Notes\n\nInvoices are payable within 30 days of receipt.\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from run_server(tmp_path_factory.mktemp("api-timeouts"), LIMITS)


def connect(server: Server) -> socket.socket:
    address = urlsplit(server.base_url)
    return socket.create_connection((address.hostname, address.port), timeout=10)


def problem(response: bytes) -> dict[str, object]:
    head, body = response.split(b"\r\n\r\n", 1)
    assert b"content-type: application/problem+json" in head.lower()
    return json.loads(body)


def until_closed(sock: socket.socket, limit: float = 10.0) -> tuple[float, bytes]:
    """Seconds until the server closed ``sock`` (reading all it sent), and what it sent."""
    start, received = time.monotonic(), b""
    sock.settimeout(limit)
    with sock:
        while chunk := sock.recv(65536):
            received += chunk
    return time.monotonic() - start, received


@pytest.mark.parametrize("sent", [b"", b"GET /healthz HT", b"GET /healthz HTTP/1.1\r\nHost: x\r\nAccept: "],
                         ids=["nothing", "half a request line", "half the headers"])
def test_a_request_whose_headers_do_not_arrive_is_answered_408_and_closed(server: Server, sent: bytes) -> None:
    sock = connect(server)
    sock.sendall(sent)
    elapsed, received = until_closed(sock)
    assert received.startswith(b"HTTP/1.1 408 ") and b"connection: close" in received
    assert HEADER_TIMEOUT * 0.8 < elapsed < HEADER_TIMEOUT + 2
    assert problem(received) == {"type": "about:blank#request_timeout", "title": "Request timeout", "status": 408,
                                 "detail": "The request headers did not arrive in time.", "code": "request_timeout"}


def test_headers_trickled_byte_by_byte_do_not_extend_the_deadline(server: Server) -> None:
    sock = connect(server)
    start = time.monotonic()
    with pytest.raises(OSError):  # the server closes while bytes still arrive: a reset or a broken pipe
        for byte in b"GET /healthz HTTP/1.1\r\nX-Slow: " + b"a" * 1000:
            sock.sendall(bytes([byte]))
            time.sleep(0.05)
            if time.monotonic() - start > 10:
                break
    assert time.monotonic() - start < HEADER_TIMEOUT + 2
    sock.close()


def test_oversized_headers_are_refused_with_431(server: Server) -> None:
    sock = connect(server)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n")
    _, received = until_closed(sock)
    assert received.startswith(b"HTTP/1.1 431 ") and problem(received)["code"] == "request_headers_too_large"


def test_a_request_that_is_not_http_is_a_400_problem(server: Server) -> None:
    """What httptools cannot parse is answered like every other error (schemathesis sent a
    `Content-Length: S` and got uvicorn's text/plain 400, which the schema does not document)."""
    sock = connect(server)
    sock.sendall(b"GET /api/v1/usage HTTP/1.1\r\nHost: x\r\nContent-Length: S\r\n\r\n")
    _, received = until_closed(sock)
    assert received.startswith(b"HTTP/1.1 400 ") and problem(received)["code"] == "invalid_input"


def test_a_body_trickled_below_the_minimum_rate_is_dropped_and_nothing_is_stored(server: Server) -> None:
    with server.register() as ann:
        token = ann.headers["Authorization"]
        boundary = "b0undary"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.md\"\r\n"
                f"Content-Type: text/markdown\r\n\r\n").encode() + NOTES
        body = head + b"x" * 100_000 + f"\r\n--{boundary}--\r\n".encode()
        sock = connect(server)
        sock.sendall(f"POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\n"
                     f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode())
        start, sent = time.monotonic(), 0
        try:
            while sent < len(body) and time.monotonic() - start < 15:  # 1,000 B/s: 100 s for the whole body
                sock.sendall(body[sent:sent + 100])
                sent += 100
                time.sleep(0.1)
        except OSError:
            pass  # closed under our feet
        _, received = until_closed(sock)
        assert time.monotonic() - start < 5, "a 1 KB/s upload was held"
        assert sent < len(body) // 4
        assert received.startswith(b"HTTP/1.1 408 ") and problem(received)["code"] == "request_timeout"
        assert ann.get("/api/v1/documents").json()["items"] == []


def test_normal_requests_and_a_full_speed_upload_still_work(server: Server) -> None:
    with server.register() as ann:
        response = ann.post("/api/v1/documents", files={"file": ("notes.md", NOTES + b"y" * 2_000_000)})
        assert response.status_code == 202, response.text
        for _ in range(3):  # one kept-alive connection, requests back to back
            assert ann.get("/api/v1/documents").status_code == 200


def test_an_idle_kept_alive_connection_is_closed(server: Server) -> None:
    sock = connect(server)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    elapsed, received = until_closed(sock)
    assert received.startswith(b"HTTP/1.1 200 ") and b"connection: close" not in received.lower()
    assert elapsed < 1 + 2  # ASSISTANT_KEEP_ALIVE_SECONDS=1


def test_many_half_open_connections_neither_block_a_request_nor_linger(server: Server) -> None:
    half_open = []
    for _ in range(200):
        sock = connect(server)
        sock.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Le")
        half_open.append(sock)
    with server.client() as client:
        start = time.monotonic()
        assert client.get("/healthz").status_code == 200
        assert time.monotonic() - start < 0.5
    deadline = time.monotonic() + HEADER_TIMEOUT + 3
    answers = [until_closed(sock, max(0.1, deadline - time.monotonic()))[1] for sock in half_open]
    assert all(answer.startswith(b"HTTP/1.1 408 ") for answer in answers)
