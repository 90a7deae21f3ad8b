"""A local HTTP server speaking Sentry's envelope protocol (what sentry-sdk 2 sends): POST
/api/<project>/envelope/ with a body, gzip- or brotli-compressed or not, made of a JSON header line
then items, each a JSON item header line and its payload (``length`` bytes, or up to the next
newline). Every envelope is kept raw (decompressed) and parsed, for the tests to read."""

from __future__ import annotations

import gzip
import json
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs

PROJECT = "42"
PUBLIC_KEY = "0123456789abcdef0123456789abcdef"


@attrs.define
class Envelope:
    raw: bytes
    header: dict[str, Any]
    items: list[tuple[dict[str, Any], bytes]]

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(payload) for item, payload in self.items if item.get("type") == "event"]


def parse_envelope(body: bytes) -> Envelope:
    header_line, _, rest = body.partition(b"\n")
    items: list[tuple[dict[str, Any], bytes]] = []
    while rest.strip():
        item_line, _, rest = rest.partition(b"\n")
        item = json.loads(item_line)
        if "length" in item:
            payload, rest = rest[:item["length"]], rest[item["length"]:]
            rest = rest.removeprefix(b"\n")
        else:
            payload, _, rest = rest.partition(b"\n")
        items.append((item, payload))
    return Envelope(raw=body, header=json.loads(header_line), items=items)


@attrs.define
class SentryServer:
    port: int
    envelopes: list[Envelope] = attrs.field(factory=list)
    paths: list[str] = attrs.field(factory=list)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    @property
    def dsn(self) -> str:
        return f"http://{PUBLIC_KEY}@127.0.0.1:{self.port}/{PROJECT}"

    def events(self) -> list[dict[str, Any]]:
        with self._lock:
            return [event for envelope in self.envelopes for event in envelope.events()]

    def raw(self) -> bytes:
        with self._lock:
            return b"\n".join(envelope.raw for envelope in self.envelopes)

    def wait_for_event(self, predicate: Any = lambda event: True, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events():
                if predicate(event):
                    return event
            time.sleep(0.05)
        raise AssertionError(f"no matching Sentry event within {timeout} s; got {self.events()!r}")

    def receive(self, path: str, body: bytes) -> None:
        with self._lock:
            self.paths.append(path)
            self.envelopes.append(parse_envelope(body))


def _decompress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "br":
        import brotli  # sentry-sdk only sends brotli when the package is installed

        return brotli.decompress(body)
    return body


@contextmanager
def running_sentry() -> Iterator[SentryServer]:
    state: dict[str, SentryServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            body = _decompress(self.rfile.read(length), self.headers.get("Content-Encoding", ""))
            if self.path.rstrip("/") == f"/api/{PROJECT}/envelope":
                state["server"].receive(self.path, body)
                self._reply(200, b'{"id":"ok"}')
            else:
                self._reply(404, b"{}")

        def _reply(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["server"] = server = SentryServer(port=http.server_address[1])
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        http.shutdown()
        http.server_close()
