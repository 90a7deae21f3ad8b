"""The FastAPI application factory."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
import uuid

import structlog
from fastapi import FastAPI, Request, Response

from config.bootstrap import build_container
from config.container import Container
from entrypoints.api import documents, problems

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start, documents a previous run left unprocessed are queued again (processing is idempotent)."""
    app.state.container.recover_documents()(older_than_seconds=0)
    yield


def create_app(container: Container | None = None) -> FastAPI:
    container = container or build_container()
    app = FastAPI(title="AI Business Assistant", version="0.1.0", lifespan=_lifespan,
                  description="Upload documents and ask questions about them; answers cite their sources.")
    app.state.container = container
    problems.install(app)
    app.include_router(documents.router)

    @app.middleware("http")
    async def request_id(request: Request, call_next):  # noqa: ANN001, ANN202 - starlette signature
        rid = request.headers.get("x-request-id", "")
        rid = rid if _REQUEST_ID.match(rid) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=rid)
        response: Response = await call_next(request)
        response.headers["X-Request-ID"] = rid
        return response

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    return app
