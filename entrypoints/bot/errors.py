"""The global error handler: domain errors become translated replies, anything else is logged with
its traceback and the user gets one apologetic line. A banned user is told once a day: remembered
in the cache port, which every bot process shares when Redis is configured."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog
from telegram import Update
from telegram.error import NetworkError, RetryAfter
from telegram.ext import ContextTypes

from config.error_tracking import report_exception
from domain.errors import DomainError, RateLimited, ServiceUnavailable
from entrypoints.bot.context import container, lang, reply, run
from entrypoints.bot.i18n import error_text, t
from entrypoints.bot.metrics import HANDLER_ERRORS, count_error

log = structlog.get_logger(__name__)
BANNED_TOLD_TTL = 86400  # seconds a banned user is not told again


def describe(error: DomainError, language: str) -> str:
    """The translated line for a domain error, with its details filled in."""
    values: dict[str, Any] = {"message": error.message, **error.details}
    if isinstance(error, RateLimited):
        values.update(window=t(language, f"window_{error.window}"), limit=error.limit,
                      reset=_hhmm(error.reset_at))
    if "limit" in error.details and error.code == "file_too_large":
        values["limit_mb"] = round(int(error.details["limit"]) / 2**20)  # type: ignore[call-overload]
    return error_text(language, error.code, **values)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    count_error(error)  # Telegram API errors by kind (entrypoints/bot/metrics.py)
    if not isinstance(update, Update):  # polling or job errors: PTB retries network errors itself
        log.warning("bot_background_error", error=repr(error))
        return
    language = lang(update, context)
    if isinstance(error, DomainError):
        if error.code == "user_banned" and not await _first_time_banned(update, context):
            return
        log.info("bot_domain_error", code=error.code)
        await _safe_reply(update, describe(error, language))
        return
    if isinstance(error, RetryAfter | NetworkError):
        log.warning("bot_api_error", error=repr(error))
    else:
        log.error("bot_handler_failed", exc_info=error)
        HANDLER_ERRORS.inc()
        if error is not None:  # to error tracking with the ids only (config/error_tracking.py)
            user = update.effective_user
            report_exception(error, user_id=user.id if user else None, update_id=update.update_id)
    await _safe_reply(update, t(language, "internal"))


async def _first_time_banned(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True once per BANNED_TOLD_TTL and Telegram user, whichever bot process the updates reach
    (set-if-absent in the shared cache: of two racing, one tells)."""
    cache = container(context).cache()
    key = f"bot:banned-told:{update.effective_user.id if update.effective_user else 0}"
    try:
        return await run(cache.add, key, b"1", ttl_seconds=BANNED_TOLD_TTL)
    except ServiceUnavailable:  # no shared memory right now: better told twice than never
        log.warning("bot_banned_memory_unavailable")
        return True


async def _safe_reply(update: Update, text: str) -> None:
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except Exception:  # noqa: BLE001 - already answered by the handler
            pass
    try:
        await reply(update, text, html=False)
    except Exception as error:  # the error handler itself must never raise
        log.warning("bot_error_reply_failed", error=repr(error))


def _hhmm(moment: datetime) -> str:
    return f"{moment:%H:%M}"
