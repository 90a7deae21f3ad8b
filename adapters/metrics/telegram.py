"""``assistant_telegram_api_errors_total{error}``: Telegram Bot API errors, whoever met them: the bot
(python-telegram-bot's errors, classified by entrypoints/bot/metrics.py) and the workers' notices
(adapters/notify/telegram.py reports each failed sendMessage through the callback the container
gives it). One definition for both, so a process that holds both (the API serving the bot by
webhook with the inline queue) registers the family once. Kinds are a bounded set; anything else
counts as ``other``."""

from __future__ import annotations

from prometheus_client import Counter

KINDS = ("network", "timed_out", "retry_after", "bad_request", "forbidden", "conflict", "invalid_token",
         "server_error", "other")

TELEGRAM_ERRORS = Counter("assistant_telegram_api_errors_total", "Telegram Bot API errors by kind", ["error"])
for _kind in KINDS:
    TELEGRAM_ERRORS.labels(_kind)


def count_telegram_error(kind: str) -> None:
    TELEGRAM_ERRORS.labels(kind if kind in KINDS else "other").inc()


def kind_of_status(status: int) -> str:
    """The kind of a Bot API answer's HTTP status (the notifier sees statuses, not PTB's classes)."""
    return {400: "bad_request", 401: "invalid_token", 403: "forbidden", 409: "conflict",
            429: "retry_after"}.get(status, "server_error" if status >= 500 else "other")


def count_telegram_status(status: int | None) -> None:
    """The notifier's callback: a failed call's HTTP status, None for a network error."""
    count_telegram_error("network" if status is None else kind_of_status(status))
