"""Per-request plumbing as one pure ASGI middleware: the X-Request-ID (echoed, bound into the logs),
the security headers of every response (entrypoints.api.security_headers), the access log and the
request-latency histogram.

Pure ASGI rather than ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware runs the rest of
the application in a separate task behind memory streams, which costs about as much CPU per
request as the whole of a small route. Here the request runs in the same task, so values bound
to the log context further in (the user id of the authentication dependency) reach the access
log too.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from entrypoints.api.metrics import Metrics
from entrypoints.api.security_headers import SecurityHeaders

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# a generated id: random per process, then a counter (unique without a random draw per request)
_PROCESS = os.urandom(8).hex()
_COUNTER = itertools.count(1)
log = structlog.get_logger("api.access")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics, access_log: bool, headers: SecurityHeaders) -> None:
        self.app, self.metrics, self.access_log, self.headers = app, metrics, access_log, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id(scope)
        structlog.contextvars.clear_contextvars()
        client: Any = scope.get("client")  # the peer (behind a proxy: uvicorn's --forwarded-allow-ips decides)
        structlog.contextvars.bind_contextvars(request_id=rid, client_address=client[0] if client else None)
        started = time.perf_counter()
        status = 500
        rid_header = (b"x-request-id", rid.encode())

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*self.headers.add_to(message.get("headers", ())), rid_header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.requests.labels(scope["method"], route, str(status)).observe(elapsed)
            if self.access_log:
                log.info("http_request", method=scope["method"], path=scope["path"], status=status,
                         duration_ms=round(elapsed * 1000, 1), client=client[0] if client else None)


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            rid = value.decode("latin-1")
            return rid if _REQUEST_ID.match(rid) else _new_request_id()
    return _new_request_id()


def _new_request_id() -> str:
    return f"{_PROCESS}{next(_COUNTER):016x}"
