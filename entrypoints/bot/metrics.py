"""The bot's own figures: Telegram Bot API errors by kind, and updates whose handler failed.

``assistant_telegram_api_errors_total{error}`` (defined once for every process, see
config/metrics.py): the errors python-telegram-bot raised in a handler or while polling, by class
(network, timed_out, retry_after, bad_request, forbidden, conflict, invalid_token, other: a
bounded set, never the message). ``assistant_bot_handler_errors_total``: updates whose handler
raised something unexpected (the user got the apology; error tracking got the traceback).
"""

from __future__ import annotations

from prometheus_client import Counter
from telegram import error as tg

from config.metrics import count_telegram_error

HANDLER_ERRORS = Counter("assistant_bot_handler_errors_total", "Bot updates whose handler failed unexpectedly")
# most specific first: RetryAfter, TimedOut and BadRequest are NetworkErrors
_KINDS = ((tg.RetryAfter, "retry_after"), (tg.TimedOut, "timed_out"), (tg.BadRequest, "bad_request"),
          (tg.Forbidden, "forbidden"), (tg.Conflict, "conflict"), (tg.InvalidToken, "invalid_token"),
          (tg.NetworkError, "network"), (tg.TelegramError, "other"))


def count_error(error: object) -> None:
    """Count ``error`` when it came from the Bot API; anything else is not a Telegram error."""
    for cls, kind in _KINDS:
        if isinstance(error, cls):
            count_telegram_error(kind)
            return
