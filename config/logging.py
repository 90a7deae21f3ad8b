"""structlog, configured once: readable console lines in development, JSON lines in production.
Logs go to stderr, so a command's --json output on stdout stays clean."""

from __future__ import annotations

import logging
import sys

import structlog

from config.redaction import redact_secrets

_configured = False


def configure_logging(*, json: bool, level: str = "INFO") -> None:
    global _configured
    if _configured:
        return
    _configured = True
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    # tracebacks become text before the redaction, so it reaches them too (config.redaction)
    last = [structlog.processors.format_exc_info, redact_secrets, renderer]
    structlog.configure(
        processors=[*shared, *last],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)  # also for libraries that set their own logger to DEBUG (bm25s does)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(processors=[
        structlog.stdlib.ProcessorFormatter.remove_processors_meta, *last], foreign_pre_chain=shared))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for chatty in ("alembic", "httpx", "httpcore", "google_genai", "openai"):  # per-request INFO lines
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLevelName(level)))
