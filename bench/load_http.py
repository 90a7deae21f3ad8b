"""A small HTTP/1.1 client for bench.load: keep-alive connections on asyncio streams, one pool per
API process, no TLS, no redirects, bodies framed by Content-Length (or chunked).

Why not httpx: the load client shares the two cores with the servers it measures, so its own CPU
per request must stay small. httpx's AsyncClient spent 1.1 ms of CPU per request against a bare
FastAPI hello-world with 5 requests outstanding, 3.5 ms with 50 (its connection pool walks every
connection per request), and 6.4 ms per request in a first bench.load run at 100 req/s, i.e. most
of a core. This client spends a fraction of that (the run prints its CPU).

An idle connection is reused only while younger than ``IDLE_SECONDS`` (below the server's 5 s
keep-alive timeout, ASSISTANT_KEEP_ALIVE_SECONDS), so a request never meets a connection the
server has just closed; a failure on any connection is reported, never retried.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from urllib.parse import urlsplit

import attrs
import orjson

IDLE_SECONDS = 4.0


class HttpError(Exception):
    """The connection failed or the response could not be read."""


@attrs.frozen
class Response:
    status: int
    body: bytes

    def json(self):  # noqa: ANN201
        return orjson.loads(self.body)


@attrs.define
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = 0.0


class Pool:
    """Keep-alive connections to one ``http://host:port`` base URL."""

    def __init__(self, base_url: str, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname or "127.0.0.1", parts.port or 80, timeout
        self._idle: list[_Connection] = []

    async def get(self, path: str, headers: dict[str, str]) -> Response:
        return await self.request("GET", path, headers, b"", None)

    async def post_json(self, path: str, headers: dict[str, str], payload: object) -> Response:
        return await self.request("POST", path, headers, orjson.dumps(payload), "application/json")

    async def post_file(self, path: str, headers: dict[str, str], filename: str, data: bytes) -> Response:
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return await self.request("POST", path, headers, body, f"multipart/form-data; boundary={boundary}")

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes,
                      content_type: str | None) -> Response:
        connection = await self._connection()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}",
                 *(f"{k}: {v}" for k, v in headers.items())]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        try:
            connection.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            response, keep = await asyncio.wait_for(self._read(connection.reader), self.timeout)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            connection.writer.close()
            raise HttpError(type(error).__name__) from error
        except TimeoutError:
            connection.writer.close()
            raise
        if keep:
            connection.idle_since = time.monotonic()
            self._idle.append(connection)
        else:
            connection.writer.close()
        return response

    async def _connection(self) -> _Connection:
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()  # the most recently used: the least likely to be closed
            if now - connection.idle_since < IDLE_SECONDS:
                return connection
            connection.writer.close()
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), self.timeout)
        except OSError as error:
            raise HttpError(type(error).__name__) from error
        return _Connection(reader, writer)

    @staticmethod
    async def _read(reader: asyncio.StreamReader) -> tuple[Response, bool]:
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        fields = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        if fields.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while size := int((await reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16):
                body += (await reader.readexactly(size + 2))[:-2]
            await reader.readuntil(b"\r\n")
        else:
            body = await reader.readexactly(int(fields.get("content-length", "0")))
        return Response(status, body), fields.get("connection", "").lower() != "close"

    async def close(self) -> None:
        for connection in self._idle:
            connection.writer.close()
        self._idle.clear()
