"""``assistant bot``: long polling (imported by module path from the CLI)."""

from __future__ import annotations

import structlog
from telegram import Update

from config.container import Container, warm_embedder
from entrypoints.bot.app import build_application

log = structlog.get_logger(__name__)


def run(container: Container) -> None:
    warm_embedder(container)
    application = build_application(container)
    log.info("bot_polling_started")
    application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
