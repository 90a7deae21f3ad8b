"""Notifications as Telegram messages, sent with one plain Bot API call (``sendMessage`` over httpx).

Synchronous on purpose: it runs in the inline queue's threads or in an RQ worker process, where
there is no event loop and no python-telegram-bot Application. Users without a Telegram id (API,
CLI) fall back to the logging notifier. A failed send is logged, never raised: the document is
processed either way and the user can see it with /mydocs. A failure is explained by its error
code's text in the user's language (application.error_texts, the catalog the bot replies with)."""

from __future__ import annotations

import html
import time
from collections.abc import Callable

import httpx
import structlog

from adapters.notify.logging import LoggingNotifier
from application import error_texts
from domain.documents import Document
from domain.users import User

log = structlog.get_logger(__name__)

MAX_WAIT_SECONDS = 10.0
MESSAGES = {  # the bot's catalog lives in the bot shell; the worker needs only these lines and the error texts
    "en": {"completed": "✅ <b>{name}</b> is ready{pages}. Ask me anything about it.",
           "pages": " ({n} pages)",
           "failed": "❌ I could not read <b>{name}</b>: {reason}",
           "still_active": "Your questions still go to <b>{name}</b>.",
           "none_active": "Send another document to ask about (or choose one with /mydocs)."},
    "ru": {"completed": "✅ <b>{name}</b> готов{pages}. Задайте вопрос по документу.",
           "pages": " (страниц: {n})",
           "failed": "❌ Не удалось прочитать <b>{name}</b>: {reason}",
           "still_active": "Вопросы по-прежнему идут к документу <b>{name}</b>.",
           "none_active": "Пришлите другой документ (или выберите его в /mydocs)."},
}


class TelegramNotifier:
    """Implements application.ports.notifier.Notifier."""

    def __init__(self, token: str, base_url: str = "https://api.telegram.org", timeout: float = 10.0,
                 retries: int = 2, client: httpx.Client | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 on_error: Callable[[int | None], None] = lambda status: None) -> None:
        """``on_error`` hears each failed call: its HTTP status, or None for a network error (the
        container counts them: adapters/metrics/telegram.py)."""
        self._url = f"{base_url.rstrip('/')}/bot{token}/sendMessage"
        self._on_error = on_error
        self._client = client or httpx.Client(timeout=timeout)
        self._retries = retries
        self._fallback = LoggingNotifier()
        self._sleep = sleep

    def document_completed(self, user: User, document: Document) -> None:
        text = _catalog(user)
        pages = text["pages"].format(n=document.page_count) if document.page_count else ""
        self._send(user, document, text["completed"].format(name=html.escape(document.filename), pages=pages),
                   completed=True)

    def document_failed(self, user: User, document: Document, *, active: Document | None = None) -> None:
        catalog = _catalog(user)
        reason = html.escape(failure_reason(user.language, document.error_code, document.error_message))
        text = catalog["failed"].format(name=html.escape(document.filename), reason=reason)
        text += "\n" + (catalog["still_active"].format(name=html.escape(active.filename)) if active is not None
                        else catalog["none_active"])
        self._send(user, document, text, completed=False)

    def _send(self, user: User, document: Document, text: str, *, completed: bool) -> None:
        if user.telegram_id is None:
            (self._fallback.document_completed if completed else self._fallback.document_failed)(user, document)
            return
        body = {"chat_id": user.telegram_id, "text": text, "parse_mode": "HTML"}
        for attempt in range(self._retries + 1):
            try:
                response = self._client.post(self._url, json=body)
            except httpx.HTTPError as error:
                log.warning("telegram_notify_network_error", attempt=attempt, error=type(error).__name__)
                self._on_error(None)
                continue
            if response.status_code >= 400:
                self._on_error(response.status_code)
            if response.status_code < 500 and response.status_code != 429:
                if response.status_code >= 400:
                    log.warning("telegram_notify_rejected", status=response.status_code,
                                document_id=str(document.id))
                return
            log.warning("telegram_notify_retry", status=response.status_code, attempt=attempt)
            if response.status_code == 429 and attempt < self._retries:  # flood control: wait as told (capped)
                self._sleep(min(MAX_WAIT_SECONDS, _retry_after(response)))
        log.error("telegram_notify_failed", user_id=str(user.id), document_id=str(document.id))


def _retry_after(response: httpx.Response) -> float:
    try:
        return float(response.json().get("parameters", {}).get("retry_after", 1))
    except (ValueError, AttributeError):
        return 1.0


def failure_reason(language: str, code: str | None, message: str | None) -> str:
    """The error code's text in the user's language; else the stored (English) message; else a generic line."""
    if error_texts.knows(code):
        text = error_texts.error_text(language, str(code), message=message or "")
        if text != error_texts.error_text(language, "domain_error"):  # not a template missing its values
            return text
    return message or error_texts.error_text(language, "processing_error")


def _catalog(user: User) -> dict[str, str]:
    return MESSAGES.get(user.language, MESSAGES["en"])
