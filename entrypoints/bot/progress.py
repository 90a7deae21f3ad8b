"""The "Processing…" message edited with the document's progress (pages, sheets, minutes of audio)
until it is completed or failed; the "ready" notice itself comes from the Notifier (the worker may be
another process). Polls the database through GetDocument, so it works with any queue."""

from __future__ import annotations

import asyncio
import html
import time
import uuid
from collections.abc import Awaitable, Callable

import structlog
from telegram import Message
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from domain.documents import Document, DocumentStatus
from domain.errors import DomainError
from entrypoints.bot.context import container, run
from entrypoints.bot.i18n import t

log = structlog.get_logger(__name__)
PROGRESS_INTERVAL = "progress_interval"  # bot_data: seconds between polls
WATCH_SECONDS = 30 * 60
DONE = {DocumentStatus.COMPLETED, DocumentStatus.FAILED}


async def watch_progress(context: ContextTypes.DEFAULT_TYPE, message: Message, user_id: uuid.UUID,
                         document_id: uuid.UUID, language: str,
                         when_ready: Callable[[Document], Awaitable[None]] | None = None) -> None:
    """Edit ``message`` with the progress until the document is done; then ``when_ready`` (a photo's
    caption asked as its first question) if it completed."""
    interval = context.application.bot_data.get(PROGRESS_INTERVAL, 2.0)
    deadline = time.monotonic() + WATCH_SECONDS
    shown: tuple[int, int] | None = None
    while time.monotonic() < deadline:
        await asyncio.sleep(interval)
        if not context.application.running:  # stopping: Application.stop() waits for this task
            return
        try:
            document = await run(container(context).get_document(), user_id, document_id)
        except DomainError:  # deleted meanwhile, or the user was banned
            return
        if document.status in DONE:
            if when_ready is not None and document.status is DocumentStatus.COMPLETED:
                await when_ready(document)
            return
        progress = (document.progress_done, document.progress_total)
        if document.progress_total and progress != shown:
            shown = progress
            percent = min(100, round(100 * progress[0] / progress[1]))
            text = t(language, "progress", name=html.escape(document.filename), done=progress[0],
                     total=progress[1], percent=percent)
            try:
                await message.edit_text(text, parse_mode=ParseMode.HTML)
            except TelegramError as error:  # flood control or an edited-away message: the next poll retries
                log.debug("bot_progress_edit_failed", error=repr(error))
