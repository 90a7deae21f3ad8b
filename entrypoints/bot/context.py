"""What every handler needs: the container, use cases run off the event loop, the acting user."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from application.use_cases.ensure_user import EnsureTelegramUserCommand
from config.container import Container
from domain.users import User
from entrypoints.bot.i18n import language_of

T = TypeVar("T")
CONTAINER = "container"
EDIT_INTERVAL = "edit_interval"
_ACTING_USER = "_acting_user"  # context attribute: the user of this update


def container(context: ContextTypes.DEFAULT_TYPE) -> Container:
    return context.application.bot_data[CONTAINER]


async def run(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The use cases are synchronous (database, files, model calls): run them in a worker thread."""
    return await asyncio.to_thread(function, *args, **kwargs)


async def acting_user(update: Update, context: ContextTypes.DEFAULT_TYPE) -> User:
    """The Telegram user's account, created on first contact; UserBanned/UserInactive when not active.

    Read once per update: PTB builds one context per update, so a handler that hands on to another
    (/use -> select, /lang -> set_language, a voice note -> answer) does not read the user again."""
    user: User | None = getattr(context, _ACTING_USER, None)
    if user is None:
        tg = update.effective_user
        assert tg is not None
        command = EnsureTelegramUserCommand(telegram_id=tg.id, username=tg.username, language=tg.language_code)
        user = await run(container(context).ensure_user().telegram, command)
        setattr(context, _ACTING_USER, user)
        context.user_data["lang"] = user.language  # type: ignore[index]
    user.ensure_active()
    return user


def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The user's stored language when known in this process, else Telegram's language_code."""
    stored = (context.user_data or {}).get("lang")
    if stored:
        return stored
    return language_of(update.effective_user.language_code if update.effective_user else None)


async def reply(update: Update, text: str, *, html: bool = True, **kwargs: Any) -> Any:
    """Answer in the chat the update came from (a message or a button press)."""
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(text, parse_mode=ParseMode.HTML if html else None, **kwargs)
