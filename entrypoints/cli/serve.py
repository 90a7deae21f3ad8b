"""``assistant serve``: the HTTP API under uvicorn."""

from __future__ import annotations

import typer

from entrypoints.cli.state import container

API_FACTORY = "entrypoints.api.app:create_app"  # by name: the shells stay independent of each other
# uvicorn's httptools protocol plus a header timeout, a header size cap and a minimum body rate
HTTP_PROTOCOL = "entrypoints.api.http_protocol:GuardedHttpToolsProtocol"
WS_PROTOCOL = "websockets-sansio"  # uvicorn's protocol on the `websockets` package (a dependency)


def serve(
    host: str | None = typer.Option(None, help="Interface (default: ASSISTANT_HOST)."),
    port: int | None = typer.Option(None, help="Port (default: ASSISTANT_PORT)."),
    workers: int | None = typer.Option(None, min=1, max=64,
                                       help="Worker processes (default: ASSISTANT_API_WORKERS, 1)."),
) -> None:
    """Serve the REST API (interactive docs at /docs)."""
    import uvicorn  # here, not at import: `assistant --help` and the other commands do not load it

    settings = container().settings()
    # uvloop and httptools (dependencies) are picked explicitly: the asyncio loop and the pure-Python
    # HTTP parser cost noticeably more CPU per request. The access log is the API's own (structured).
    # No limit_concurrency: uvicorn counts every open socket against it, so half-open connections
    # would turn real requests away with 503; the protocol's timeouts close those instead.
    # WebSockets (/api/v1/events): the websockets package's sans-I/O protocol, pinging every
    # ASSISTANT_EVENTS_PING_SECONDS (a client that does not answer is closed); no compression (the
    # events are a few hundred bytes of JSON, and zlib would keep a compression context per socket);
    # clients send nothing the server reads, so a message may be 64 KB at most.
    uvicorn.run(API_FACTORY, factory=True, host=host or settings.host, port=port or settings.port,
                workers=workers or settings.api_workers, log_config=None, access_log=False,
                loop="uvloop", http=HTTP_PROTOCOL, timeout_keep_alive=settings.keep_alive_seconds,
                ws=WS_PROTOCOL, ws_ping_interval=settings.events_ping_seconds,
                ws_ping_timeout=settings.events_ping_seconds, ws_per_message_deflate=False,
                ws_max_size=64 * 1024)
