"""The bot served by webhook inside the API process (imported by module path from the API shell).

The PTB Application runs without an Updater: the API route checks the secret token, decodes the
update and puts it on ``application.update_queue``; the Application processes it as under polling.
Start-up (getMe, setMyCommands, setWebhook) retries in the background while Telegram cannot be
reached, so the API serves requests meanwhile; updates that arrive early wait in the queue."""

from __future__ import annotations

import asyncio
import hmac
from typing import Any

import structlog
from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from config.container import Container
from entrypoints.bot.app import build_application
from entrypoints.bot.streaming import retry_seconds

log = structlog.get_logger(__name__)

PATH = "/telegram/webhook"
MAX_BACKOFF_SECONDS = 30.0


def endpoint(base_url: str) -> str:
    """The URL given to setWebhook: the public base URL followed by PATH (once)."""
    base = base_url.rstrip("/")
    return base if base.endswith(PATH) else base + PATH


class Webhook:
    """One process's webhook bot: ``start`` and ``stop`` from the API lifespan, ``accept`` per request."""

    def __init__(self, container: Container) -> None:
        settings = container.settings()
        self.application: Application = build_application(container)
        self.url = endpoint(settings.telegram_webhook_url)
        self._secret = settings.telegram_webhook_secret.get_secret_value().encode()
        self._bootstrap: asyncio.Task[None] | None = None
        self.failed = False  # start-up gave up (a refused token or URL): updates are refused with 503

    def authentic(self, header: str | None) -> bool:
        """The X-Telegram-Bot-Api-Secret-Token header equals the secret (compared in constant time)."""
        return header is not None and hmac.compare_digest(header.encode(), self._secret)

    async def accept(self, payload: Any) -> bool:
        """Queue one update; False when ``payload`` is not a Telegram update."""
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            return False
        try:
            update = Update.de_json(payload, self.application.bot)
        except (KeyError, TypeError, ValueError, AttributeError):
            return False
        await self.application.update_queue.put(update)
        return True

    async def start(self) -> None:
        """Begin start-up in the background (the API does not wait for Telegram)."""
        self._bootstrap = asyncio.create_task(self._start_when_reachable(), name="telegram-webhook-start")

    async def stop(self) -> None:
        """Finish the queued updates, then close the Application; the webhook stays set for the next start."""
        if self._bootstrap is not None and not self._bootstrap.done():
            self._bootstrap.cancel()
            await asyncio.gather(self._bootstrap, return_exceptions=True)
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        log.info("bot_webhook_stopped")

    async def _start_when_reachable(self) -> None:
        delay = 1.0
        while True:
            try:
                await self._start_once()
                return
            except (NetworkError, RetryAfter) as error:  # Telegram unreachable or busy: try again
                wait = retry_seconds(error) if isinstance(error, RetryAfter) else delay
                log.warning("bot_webhook_start_retry", error=repr(error), retry_in=wait)
                await asyncio.sleep(wait)
                delay = min(MAX_BACKOFF_SECONDS, delay * 2)
            except TelegramError as error:  # a refused token or webhook URL: retrying cannot help
                self.failed = True
                reason = "the token was rejected" if isinstance(error, InvalidToken) else error.message  # no token
                log.error("bot_webhook_start_failed", error=type(error).__name__, reason=reason)
                return
            except Exception:
                self.failed = True
                log.exception("bot_webhook_start_crashed")
                return

    async def _start_once(self) -> None:
        application = self.application
        await application.initialize()  # getMe: checks the token
        if application.post_init is not None:
            await application.post_init(application)  # setMyCommands
        if not application.running:
            await application.start()  # processes the update queue from now on
        await application.bot.set_webhook(url=self.url, secret_token=self._secret.decode(),
                                          allowed_updates=Update.ALL_TYPES)
        log.info("bot_webhook_started", url=self.url)
