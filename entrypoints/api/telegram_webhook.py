"""``POST /telegram/webhook``: Telegram's updates for the bot, served by the API process when both
ASSISTANT_TELEGRAM_TOKEN and ASSISTANT_TELEGRAM_WEBHOOK_URL are set. Hidden from the OpenAPI schema.

The bot shell does the Telegram work (imported by module path: the shells stay independent); this
module checks the request: a missing or wrong secret token -> 403, a body that is not an update ->
400, the bot unable to start -> 503 (Telegram keeps the update and retries), else 200 at once."""

from __future__ import annotations

import contextlib
import importlib
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request, Response

from config.container import Container
from entrypoints.api.problems import problem

BOT_WEBHOOK = "entrypoints.bot.webhook"


def install(app: FastAPI, container: Container) -> None:
    """Mount the route and keep the bot in ``app.state.telegram_webhook`` when a webhook is configured."""
    settings = container.settings()
    app.state.telegram_webhook = None
    if settings.telegram_token is None or not settings.telegram_webhook_url:
        return
    bot = importlib.import_module(BOT_WEBHOOK)
    app.state.telegram_webhook = bot.Webhook(container)
    app.add_api_route(bot.PATH, receive, methods=["POST"], include_in_schema=False, status_code=200)


@contextlib.asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[None]:
    """For the lifespan: start the webhook bot (setWebhook) and stop it cleanly at shutdown."""
    webhook = getattr(app.state, "telegram_webhook", None)
    if webhook is None:
        yield
        return
    await webhook.start()
    try:
        yield
    finally:
        await webhook.stop()


async def receive(request: Request) -> Response:
    webhook: Any = request.app.state.telegram_webhook
    if not webhook.authentic(request.headers.get("x-telegram-bot-api-secret-token")):
        return problem(403, "permission_denied", "The secret token header is missing or wrong.")
    if webhook.failed:
        response = problem(503, "service_unavailable", "The bot could not start; see the server log.")
        response.headers["Retry-After"] = "60"
        return response
    try:
        payload = json.loads(await request.body())
    except ValueError:  # also bytes that are not UTF-8
        return problem(400, "invalid_input", "The request body could not be parsed.")
    if not await webhook.accept(payload):
        return problem(400, "invalid_input", "The request body is not a Telegram update.")
    return Response(status_code=200)
