"""``assistant bot``: long polling (imported by module path from the CLI)."""

from __future__ import annotations

import structlog
from telegram import Update

from config.container import Container, warm_up
from config.error_tracking import set_component
from config.metrics import serve_process_metrics
from entrypoints.bot.app import build_application

log = structlog.get_logger(__name__)


def run(container: Container) -> None:
    set_component("bot")
    warm_up(container)
    application = build_application(container)
    metrics_server = serve_process_metrics(container, container.settings().bot_metrics_port)
    log.info("bot_polling_started")
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    finally:
        if metrics_server is not None:
            metrics_server.stop()
