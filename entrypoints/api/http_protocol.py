"""The HTTP/1.1 protocol ``assistant serve`` runs: uvicorn's httptools protocol plus the limits
uvicorn lacks (issue 13: 2,000 half-open requests were held for 100 s, a 40 s trickled upload was
accepted). uvicorn has no header timeout at all, and arms its keep-alive timer only after a first
response, so a socket that connects and sends nothing was held forever.

- Header timeout: a request line and its headers must be complete within ``header_timeout``
  seconds of the connection opening (first request) or of the request's first byte (later requests
  on a kept-alive connection); else ``408`` and the connection is closed.
- Header size: more than ``max_header_bytes`` of request target and headers: ``431``, closed.
- Body rate: once the headers are in, every window of ``body_window`` seconds must bring at least
  ``body_min_rate`` bytes per second of body (or finish it); else ``408`` when no response has
  started (the application sees a disconnect), closed either way. A window in which the server
  itself held reading back (flow control: the application is not reading yet, or ``100 Continue``
  is not sent yet) does not count against the client.

These answers, and the 400 of a request httptools cannot parse, are problem documents
(application/problem+json) like every other error of the API, not uvicorn's plain text.

Idle kept-alive connections are closed by uvicorn's own ``timeout_keep_alive``. The class is named
by import string in entrypoints/cli/serve.py (the shells stay independent of each other); its limits
come from the settings (ASSISTANT_HEADER_TIMEOUT_SECONDS, ...), read once per process.
"""

from __future__ import annotations

import asyncio
import functools
from asyncio import TimerHandle
from typing import Any

import attrs
import orjson
import structlog
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from config.settings import load_settings
from entrypoints.api.problems import PROBLEM_JSON, problem_body

log = structlog.get_logger("api.http")


@attrs.frozen(kw_only=True)
class Limits:
    header_timeout: float
    max_header_bytes: int
    body_min_rate: int  # bytes per second; 0 turns the body check off
    body_window: float


@functools.cache
def configured_limits() -> Limits:
    settings = load_settings()
    return Limits(header_timeout=settings.header_timeout_seconds, max_header_bytes=settings.max_header_bytes,
                  body_min_rate=settings.body_min_bytes_per_second, body_window=settings.body_rate_window_seconds)


class _HeadersTooLarge(Exception):
    """Raised from a parser callback; httptools turns it into HttpParserCallbackError."""


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, limits: Limits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits or configured_limits()
        self._header_timer: TimerHandle | None = None
        self._header_bytes = 0
        self._body_timer: TimerHandle | None = None
        self._window_bytes = 0

    # connection events
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()  # the first request's line is due from the moment the socket opens

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        self._cancel_body_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._header_timer is None and self._body_timer is None:
            self._arm_header_timer()  # bytes between requests (even bare CRLFs) start the next header clock
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        if self._header_bytes > self.limits.max_header_bytes:
            self._drop("headers_too_large", 431, "request_headers_too_large", "The request headers are too large.")
        else:
            self._drop("invalid_request", 400, "invalid_input", "The request is not valid HTTP/1.1.")

    # parser callbacks
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0
        if self._header_timer is None:
            self._arm_header_timer()

    def on_url(self, url: bytes) -> None:
        self._count_header_bytes(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_header_bytes(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        super().on_headers_complete()
        if self.limits.body_min_rate:
            self._window_bytes = 0
            self._body_timer = self.loop.call_later(self.limits.body_window, self._end_of_body_window)

    def on_body(self, body: bytes) -> None:
        self._window_bytes += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._cancel_body_timer()
        super().on_message_complete()

    # the limits
    def _count_header_bytes(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > self.limits.max_header_bytes:
            raise _HeadersTooLarge

    def _arm_header_timer(self) -> None:
        self._header_timer = self.loop.call_later(self.limits.header_timeout, self._header_timeout)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _cancel_body_timer(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        self._drop("header_timeout", 408, "request_timeout", "The request headers did not arrive in time.")

    def _end_of_body_window(self) -> None:
        self._body_timer = None
        enough = self._window_bytes >= self.limits.body_min_rate * self.limits.body_window
        if enough or self._server_holds_reading():
            self._window_bytes = 0
            self._body_timer = self.loop.call_later(self.limits.body_window, self._end_of_body_window)
        else:
            self._drop("body_too_slow", 408, "request_timeout", "The request body arrived too slowly.")

    def _server_holds_reading(self) -> bool:
        """Whether the body is slow on our side: reading paused by flow control, ``100 Continue``
        not sent yet, or body bytes waiting that the application has not taken."""
        cycle = self.cycle
        return self.flow.read_paused or (cycle is not None and not cycle.response_complete and (
            cycle.waiting_for_100_continue or bool(cycle.body)))

    def _drop(self, reason: str, status: int, code: str, detail: str) -> None:
        """Answer ``status`` when no response is under way on the connection, then close it."""
        if self.transport.is_closing():
            return
        log.warning("http.connection_dropped", reason=reason, status=status,
                    client=f"{self.client[0]}:{self.client[1]}" if self.client else None)
        cycle = self.cycle
        replying = cycle is None or cycle.response_complete or not cycle.response_started
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True  # the application's receive() answers http.disconnect, its send() is ignored
            cycle.message_event.set()
        if replying:
            body = orjson.dumps(problem_body(status, code, detail))
            head = [STATUS_LINE[status], *(name + b": " + value + b"\r\n" for name, value in
                                           self.server_state.default_headers),
                    b"content-type: " + PROBLEM_JSON.encode() + b"\r\n",
                    b"content-length: %d\r\n" % len(body), b"connection: close\r\n\r\n"]
            self.transport.write(b"".join(head) + body)
        self.transport.close()
