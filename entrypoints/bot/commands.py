"""/start, /help, /usage, /lang, /token."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from application.use_cases.link_codes import CODE_TTL_SECONDS
from entrypoints.bot.context import acting_user, container, lang, reply, run
from entrypoints.bot.i18n import LANGUAGES, t

LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = await acting_user(update, context)
    language = user.language
    first = update.effective_user.first_name if update.effective_user else None
    name = f", {html.escape(first)}" if first else ""
    await reply(update, t(language, "start", name=name, tier=t(language, f"tier_{user.tier.value}")))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = await acting_user(update, context)
    await reply(update, t(user.language, "help"))


async def usage(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = await acting_user(update, context)
    language = user.language
    report = await run(container(context).get_usage(), user.id, history=True)
    lines = [t(language, "usage_title", tier=t(language, f"tier_{report.tier.value}"))]
    for window in report.windows:
        lines.append(t(language, "usage_window", window=t(language, f"window_{window.window.value}"),
                       remaining=window.remaining, limit=window.limit, reset=f"{window.reset_at:%H:%M}"))
    if not report.windows:
        lines.append(t(language, "usage_unlimited"))
    allowed = report.documents_allowed if report.documents_allowed is not None else t(language, "unlimited")
    lines.append(t(language, "usage_documents", used=report.documents_used, allowed=allowed))
    lines.append(t(language, "usage_tokens", tokens_in=report.tokens_in, tokens_out=report.tokens_out))
    await reply(update, "\n".join(lines))


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = await acting_user(update, context)
    wanted = (context.args or [""])[0].lower()[:2]
    if wanted in LANGUAGES:
        await set_language(update, context, wanted)
        return
    buttons = [[InlineKeyboardButton(LANGUAGE_NAMES[code], callback_data=f"lang:{code}") for code in LANGUAGES]]
    await reply(update, t(user.language, "lang_choose"), reply_markup=InlineKeyboardMarkup(buttons))


async def set_language(update: Update, context: ContextTypes.DEFAULT_TYPE, language: str) -> None:
    user = await acting_user(update, context)
    user = await run(container(context).set_language(), user.id, language)
    context.user_data["lang"] = user.language  # type: ignore[index]
    await reply(update, t(user.language, "lang_set"))


async def token(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = await acting_user(update, context)
    code = await run(container(context).link_codes().issue, user.id)
    await reply(update, t(lang(update, context), "token", code=code, minutes=CODE_TTL_SECONDS // 60))
