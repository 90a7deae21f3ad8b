"""``assistant serve``: the HTTP API under uvicorn."""

from __future__ import annotations

import typer
import uvicorn

from entrypoints.cli.state import container

API_FACTORY = "entrypoints.api.app:create_app"  # by name: the shells stay independent of each other


def serve(
    host: str | None = typer.Option(None, help="Interface (default: ASSISTANT_HOST)."),
    port: int | None = typer.Option(None, help="Port (default: ASSISTANT_PORT)."),
    workers: int | None = typer.Option(None, min=1, max=64,
                                       help="Worker processes (default: ASSISTANT_API_WORKERS, 1)."),
) -> None:
    """Serve the REST API (interactive docs at /docs)."""
    settings = container().settings()
    # uvloop and httptools (dependencies) are picked explicitly: the asyncio loop and the pure-Python
    # HTTP parser cost noticeably more CPU per request. The access log is the API's own (structured).
    uvicorn.run(API_FACTORY, factory=True, host=host or settings.host, port=port or settings.port,
                workers=workers or settings.api_workers, log_config=None, access_log=False,
                loop="uvloop", http="httptools")
