"""``assistant bot``: the Telegram bot by long polling."""

from __future__ import annotations

import importlib

import typer

from config.errors import ConfigError
from entrypoints.cli.state import container

BOT_MAIN = "entrypoints.bot.main"  # by name: the shells stay independent of each other


def bot(
    if_configured: bool = typer.Option(False, "--if-configured",
                                       help="Exit when no ASSISTANT_TELEGRAM_TOKEN is set or the API serves a "
                                            "webhook (make run)."),
) -> None:
    """Run the Telegram bot (long polling; needs ASSISTANT_TELEGRAM_TOKEN; not with a webhook)."""
    settings = container().settings()
    if if_configured and settings.telegram_token is None:
        return
    if settings.telegram_webhook_url and settings.telegram_token is not None:  # polling would delete the webhook
        if if_configured:
            typer.echo("Telegram bot: served by the API by webhook (ASSISTANT_TELEGRAM_WEBHOOK_URL); no polling.")
            return
        raise ConfigError("ASSISTANT_TELEGRAM_WEBHOOK_URL is set: the API (assistant serve) receives the bot's "
                          "updates by webhook, and polling would remove it; unset the URL to poll instead")
    importlib.import_module(BOT_MAIN).run(container())
