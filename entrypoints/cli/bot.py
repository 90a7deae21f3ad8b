"""``assistant bot``: the Telegram bot by long polling."""

from __future__ import annotations

import importlib

import typer

from entrypoints.cli.state import container

BOT_MAIN = "entrypoints.bot.main"  # by name: the shells stay independent of each other


def bot(
    if_configured: bool = typer.Option(False, "--if-configured",
                                       help="Exit quietly when no ASSISTANT_TELEGRAM_TOKEN is set (make run)."),
) -> None:
    """Run the Telegram bot (long polling; needs ASSISTANT_TELEGRAM_TOKEN)."""
    if if_configured and container().settings().telegram_token is None:
        return
    importlib.import_module(BOT_MAIN).run(container())
