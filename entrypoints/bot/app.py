"""The Application, built in one function from the container; the commands registered in both languages."""

from __future__ import annotations

import httpx
from telegram import BotCommand
from telegram.request import HTTPXRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from config.container import Container
from config.errors import ConfigError
from entrypoints.bot import commands, library, threads
from entrypoints.bot.buttons import on_button
from entrypoints.bot.context import CONTAINER, EDIT_INTERVAL
from entrypoints.bot.documents import DOWNLOAD_LIMIT, on_document, on_photo, on_voice
from entrypoints.bot.errors import on_error
from entrypoints.bot.i18n import LANGUAGES, t
from entrypoints.bot.questions import on_other, on_text

CONNECT_RETRIES = 3
COMMANDS = ("start", "help", "mydocs", "use", "new", "history", "export", "clear", "usage", "lang", "token")


def build_application(container: Container) -> Application:
    settings = container.settings()
    if settings.telegram_token is None:
        raise ConfigError("ASSISTANT_TELEGRAM_TOKEN: the bot needs a token from @BotFather")
    base = settings.telegram_api_base_url.rstrip("/")
    application = (
        Application.builder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .request(_request(pool=256))
        .get_updates_request(_request(pool=1))
        .local_mode(settings.telegram_local_mode)
        .concurrent_updates(True)
        .post_init(register_commands)
        .build()
    )
    application.bot_data[CONTAINER] = container
    application.bot_data[EDIT_INTERVAL] = settings.telegram_edit_interval
    limit_mb = settings.telegram_download_limit_mb  # 20 on the public Bot API; 0 for a self-hosted server
    application.bot_data[DOWNLOAD_LIMIT] = limit_mb * 2**20 if limit_mb else None
    add_handlers(application)
    return application


def _request(pool: int) -> HTTPXRequest:
    """Bot API calls whose connection fails are retried (httpx transport retries, connect errors only:
    a request that reached Telegram is never sent twice)."""
    transport = httpx.AsyncHTTPTransport(retries=CONNECT_RETRIES, limits=httpx.Limits(max_connections=pool))
    return HTTPXRequest(connection_pool_size=pool, httpx_kwargs={"transport": transport})


def add_handlers(application: Application) -> None:
    handlers = {"start": commands.start, "help": commands.help_command, "usage": commands.usage,
                "lang": commands.lang_command, "token": commands.token, "mydocs": library.mydocs,
                "use": library.use, "clear": library.clear, "new": threads.new_thread,
                "history": threads.history, "export": threads.export_command}
    for name, handler in handlers.items():
        application.add_handler(CommandHandler(name, handler))
    application.add_handler(CallbackQueryHandler(on_button))
    new = filters.UpdateType.MESSAGE  # an edited message is not asked again
    application.add_handler(MessageHandler(new & (filters.Document.ALL | filters.AUDIO), on_document))
    application.add_handler(MessageHandler(new & filters.PHOTO, on_photo))
    application.add_handler(MessageHandler(new & filters.VOICE, on_voice))
    application.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(new & ~filters.TEXT, on_other))  # photos, stickers, videos ...
    application.add_error_handler(on_error)


async def register_commands(application: Application) -> None:
    """setMyCommands for the default (English) list and for each other language."""
    for language in LANGUAGES:
        listed = [BotCommand(name, t(language, f"cmd_{name}")) for name in COMMANDS]
        await application.bot.set_my_commands(listed, language_code=None if language == "en" else language)


