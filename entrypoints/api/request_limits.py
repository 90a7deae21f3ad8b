"""Checks made before a route sees a request, as one pure ASGI middleware:

- a path or query string holding a C0 control character (NUL included; tab, line feed and carriage
  return allowed), percent-encoded or not, is refused with 422 ``invalid_input``: PostgreSQL text
  cannot hold NUL, and no route has a use for the others;
- a request body is capped before it is parsed: a declared ``Content-Length`` over the cap is
  refused with 413 before a byte of the body is read; a body without one (chunked) is read up to
  the cap and refused as soon as it passes it, then handed to the route as it came.

Routes that stream their own body with their own cap (the upload: the caller's tier cap, checked
there after authentication) are listed in ``streamed`` and only get the path and query check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_to_bytes

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from entrypoints.api.problems import PROBLEM_JSON, problem_body

CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(text: str) -> bool:
    """True when ``text`` holds a C0 control character (or DEL) other than tab, LF and CR."""
    return CONTROL_TEXT.search(text) is not None


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, streamed: Iterable[tuple[str, str]] = ()) -> None:
        self.app, self.max_body_bytes, self.streamed = app, max_body_bytes, frozenset(streamed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if CONTROL.search(scope["path"].encode("utf-8", "surrogateescape")) or CONTROL.search(
                unquote_to_bytes(scope.get("query_string", b""))):
            await _refuse(send, 422, "invalid_input", "The address holds a control character (such as NUL).")
            return
        if (scope["method"], scope["path"].rstrip("/")) in self.streamed or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None:
            if declared > self.max_body_bytes:
                await _refuse(send, 413, "request_too_large", self._too_large())
                return
            await self.app(scope, receive, send)
            return
        body, complete = await _read_up_to(receive, self.max_body_bytes)
        if not complete:
            await _refuse(send, 413, "request_too_large", self._too_large())
            return
        await self.app(scope, _replay(body, receive), send)

    def _too_large(self) -> str:
        return f"The request body is larger than the {_size(self.max_body_bytes)} this API accepts."


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _read_up_to(receive: Receive, cap: int) -> tuple[bytes, bool]:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), True  # the client went away: the route sees the disconnect
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            return b"", False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _refuse(send: Send, status: int, code: str, detail: str) -> None:
    body = orjson.dumps(problem_body(status, code, detail))
    # the body is not read: the connection is closed after the answer, so no half-read body follows
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 and n % 2**20 == 0 else f"{n // 1024} KiB"
