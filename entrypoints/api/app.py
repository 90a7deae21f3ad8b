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
from config.container import Container, warm_up
from config.error_tracking import set_component
from config.metrics import live_collectors, readiness
from config.settings import Settings
from entrypoints.api import (
    analytics,
    api_keys,
    auth,
    conversation_threads,
    docs_pages,
    documents,
    events,
    metrics,
    openapi,
    problems,
    questions,
    usage,
    users,
)
from entrypoints.api import telegram_webhook
from entrypoints.api import citation_views
from entrypoints.api import audit
from entrypoints.api.middleware import RequestContextMiddleware
from entrypoints.api.request_limits import RequestLimitsMiddleware
from entrypoints.api.security_headers import SecurityHeaders
from entrypoints.api.schemas import HealthOut, ReadinessOut
from entrypoints.web import app as web_app


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start, documents a previous run left unprocessed are queued again (processing is idempotent)."""
    # the threads that run the sync routes (and so the most questions waiting for the language
    # model at once); the database pool holds as many connections at most (adapters.persistence.engine)
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.container.settings().api_threads
    app.state.container.recover_documents()(older_than_seconds=0)
    await anyio.to_thread.run_sync(warm_up, app.state.container)
    store = app.state.async_store = app.state.container.async_store()  # bound to this event loop
    await store.start()
    settings = app.state.container.settings()
    stop_metrics = metrics.serve_on_port(app.state.metrics, settings.metrics_port, settings.metrics_host,
                                         ready=lambda: readiness(app.state.container))
    _freeze_startup_objects()
    try:
        async with telegram_webhook.serving(app):  # the bot by webhook, when configured
            yield
    finally:
        stop_metrics()
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


def api_docs_enabled(settings: Settings) -> bool:
    """/docs, /redoc and /openapi.json: ASSISTANT_API_DOCS, else on in development only."""
    return settings.api_docs if settings.api_docs is not None else settings.env != "production"


def create_app(container: Container | None = None) -> FastAPI:
    container = container or build_container()
    settings = container.settings()
    docs = api_docs_enabled(settings)
    # FastAPI's native OpenTelemetry looks for configured providers (environment included) on every
    # request: ~3% of a cached question's CPU. The API reports through /metrics and its JSON logs.
    app = FastAPI(title="AI Business Assistant", version="0.1.0", lifespan=_lifespan,
                  description="Upload documents and ask questions about them; answers cite their sources.",
                  telemetry={"tracing": False, "metrics": False, "logs": False},
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json" if docs else None)
    app.state.container = container
    problems.install(app)
    openapi.install(app)
    if docs:  # from a registry package's files: no CDN (entrypoints.api.docs_pages)
        docs_pages.install(app, openapi_url="/openapi.json", title=app.title)
    metrics.install(app, token=settings.metrics_token.get_secret_value() if settings.metrics_token else None,
                    port=settings.metrics_port, production=settings.env == "production",
                    collectors=live_collectors(container))
    set_component("api")  # the tag of this process's error reports (config/error_tracking.py)
    _install_http_options(app, container.settings())
    app.include_router(auth.router)
    app.include_router(users.router)
    app.include_router(api_keys.router)
    app.include_router(documents.router)
    app.include_router(citation_views.router)
    app.include_router(questions.router)
    app.include_router(conversation_threads.router)
    app.include_router(usage.router)
    app.include_router(analytics.router)
    app.include_router(audit.router)  # GET /api/v1/admin/audit
    app.include_router(events.router)  # WebSocket /api/v1/events, and the event relay's lifespan
    telegram_webhook.install(app, container)
    web_app.install(app)  # the dashboard's pages at / (after the API's routes and problem handlers)

    # the body cap and the address check before anything reads the request; the upload route
    # streams its own body under the caller's tier cap (entrypoints.api.documents)
    app.add_middleware(RequestLimitsMiddleware, max_body_bytes=settings.max_json_bytes,
                       streamed=[("POST", "/api/v1/documents")])
    # outermost: request id, security headers, access log and latency cover everything inside
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics, access_log=settings.access_log,
                       headers=SecurityHeaders(https=(settings.public_url or "").lower().startswith("https://")))

    @app.get("/healthz", tags=["operations"], response_model=HealthOut)
    def healthz() -> dict[str, str]:
        """Liveness: the process answers (no dependency is asked; see /readyz)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], response_model=ReadinessOut, responses={
        503: {"model": ReadinessOut, "description": "A dependency is unavailable (see `checks`)."}})
    def readyz() -> JSONResponse:
        """Readiness: the database (and Redis when configured) answer."""
        ready, checks = readiness(container)
        return JSONResponse({"status": "ready" if ready else "unavailable", "checks": checks},
                            status_code=200 if ready else 503)

    return app
