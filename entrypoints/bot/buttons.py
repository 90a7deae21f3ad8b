"""Inline button presses: ``use:<id>``, ``del:<id>``, ``clear:yes|no``, ``lang:<code>``, ``cite:<key>:<n>``,
``docs``, ``thr:<thread>`` (continue), ``exp:<thread>`` (export)."""

from __future__ import annotations

import uuid

from telegram import Update
from telegram.ext import ContextTypes

from domain.errors import InvalidInput
from entrypoints.bot import library, threads
from entrypoints.bot.commands import set_language
from entrypoints.bot.questions import show_source


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    action, _, rest = (query.data or "").partition(":")
    try:
        if action == "use":
            await library.select(update, context, uuid.UUID(rest))
        elif action == "del":
            await library.delete(update, context, uuid.UUID(rest))
        elif action == "clear":
            await library.clear_confirmed(update, context, rest == "yes")
            await query.edit_message_reply_markup(None)
        elif action == "lang":
            await set_language(update, context, rest)
        elif action == "cite":
            key, _, number = rest.partition(":")
            await show_source(update, context, key, int(number))
        elif action == "docs":
            await library.mydocs(update, context)
        elif action == "thr":
            await threads.continue_thread(update, context, uuid.UUID(hex=rest))
        elif action == "exp":
            await threads.export_thread(update, context, uuid.UUID(hex=rest))
    except ValueError as error:  # a forged or stale callback_data
        raise InvalidInput("Unknown button.", field="callback_data") from error
