"""The FastAPI application factory."""

from __future__ import annotations

import contextlib
import re
import time
import uuid
from collections.abc import AsyncIterator

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse

from config.bootstrap import build_container
from config.container import Container
from config.settings import Settings
from entrypoints.api import analytics, api_keys, auth, documents, metrics, problems, questions, usage, users

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
log = structlog.get_logger("api.access")


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start, documents a previous run left unprocessed are queued again (processing is idempotent)."""
    app.state.container.recover_documents()(older_than_seconds=0)
    yield


def _install_http_options(app: FastAPI, settings: Settings) -> None:
    """CORS and gzip, as configured."""
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["*"], allow_headers=["*"],
                           expose_headers=["X-Request-ID", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining",
                                           "RateLimit-Reset", "RateLimit-Policy"])
    if settings.gzip_min_bytes:
        app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_min_bytes)


def create_app(container: Container | None = None) -> FastAPI:
    container = container or build_container()
    app = FastAPI(title="AI Business Assistant", version="0.1.0", lifespan=_lifespan,
                  description="Upload documents and ask questions about them; answers cite their sources.")
    app.state.container = container
    problems.install(app)
    metrics.install(app)
    _install_http_options(app, container.settings())
    app.include_router(auth.router)
    app.include_router(users.router)
    app.include_router(api_keys.router)
    app.include_router(documents.router)
    app.include_router(questions.router)
    app.include_router(usage.router)
    app.include_router(analytics.router)

    access_log = container.settings().access_log

    @app.middleware("http")
    async def request_id(request: Request, call_next):  # noqa: ANN001, ANN202 - starlette signature
        rid = request.headers.get("x-request-id", "")
        rid = rid if _REQUEST_ID.match(rid) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=rid)
        started = time.perf_counter()
        response: Response = await call_next(request)
        response.headers["X-Request-ID"] = rid
        if access_log:
            log.info("http_request", method=request.method, path=request.url.path, status=response.status_code,
                     duration_ms=round((time.perf_counter() - started) * 1000, 1),
                     client=request.client.host if request.client else None)
        return response

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], responses={503: {"description": "A dependency is unavailable."}})
    def readyz() -> JSONResponse:
        """Readiness: the database (and Redis when configured) answer."""
        readiness = container.check_readiness()()
        return JSONResponse({"status": "ready" if readiness.ready else "unavailable", "checks": readiness.checks},
                            status_code=200 if readiness.ready else 503)

    return app
