"""The FastAPI application factory."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse

from config.bootstrap import build_container
from config.container import Container, warm_embedder
from config.settings import Settings
from entrypoints.api import (
    analytics,
    api_keys,
    auth,
    documents,
    metrics,
    openapi,
    problems,
    questions,
    usage,
    users,
)
from entrypoints.api import telegram_webhook
from entrypoints.api.middleware import RequestContextMiddleware
from entrypoints.api.schemas import HealthOut, ReadinessOut


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start, documents a previous run left unprocessed are queued again (processing is idempotent)."""
    # the threads that run the sync routes (and so the most questions waiting for the language
    # model at once); the database pool holds as many connections at most (adapters.persistence.engine)
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.container.settings().api_threads
    app.state.container.recover_documents()(older_than_seconds=0)
    await anyio.to_thread.run_sync(warm_embedder, app.state.container)
    store = app.state.async_store = app.state.container.async_store()  # bound to this event loop
    await store.start()
    _freeze_startup_objects()
    try:
        async with telegram_webhook.serving(app):  # the bot by webhook, when configured
            yield
    finally:
        await store.close()


def _freeze_startup_objects() -> None:
    """Move everything allocated so far (modules, the app, the container: about 170,000
    objects) out of the garbage collector's sight: a full collection then walks only what requests
    allocate. Without it, a full collection under load paused the process for tens of milliseconds;
    in bench.api (2 processes, 64 connections) the documents list's p99 went from about 190 to 75-110 ms.
    Once per process (an app built again in the same process, as tests do, changes nothing)."""
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


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
    # FastAPI's native OpenTelemetry looks for configured providers (environment included) on every
    # request: ~3% of a cached question's CPU. The API reports through /metrics and its JSON logs.
    app = FastAPI(title="AI Business Assistant", version="0.1.0", lifespan=_lifespan,
                  description="Upload documents and ask questions about them; answers cite their sources.",
                  telemetry={"tracing": False, "metrics": False, "logs": False})
    app.state.container = container
    problems.install(app)
    openapi.install(app)
    metrics.install(app)
    _install_http_options(app, container.settings())
    app.include_router(auth.router)
    app.include_router(users.router)
    app.include_router(api_keys.router)
    app.include_router(documents.router)
    app.include_router(questions.router)
    app.include_router(usage.router)
    app.include_router(analytics.router)
    telegram_webhook.install(app, container)

    # outermost: request id, access log and latency cover CORS and gzip too
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics,
                       access_log=container.settings().access_log)

    @app.get("/healthz", tags=["operations"], response_model=HealthOut)
    def healthz() -> dict[str, str]:
        """Liveness: the process answers (no dependency is asked; see /readyz)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], response_model=ReadinessOut, responses={
        503: {"model": ReadinessOut, "description": "A dependency is unavailable (see `checks`)."}})
    def readyz() -> JSONResponse:
        """Readiness: the database (and Redis when configured) answer."""
        readiness = container.check_readiness()()
        return JSONResponse({"status": "ready" if readiness.ready else "unavailable", "checks": readiness.checks},
                            status_code=200 if readiness.ready else 503)

    return app
