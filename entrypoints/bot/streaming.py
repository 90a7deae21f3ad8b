"""A synchronous generator (QueryDocument.stream) consumed on the event loop, and one Telegram
message edited with the text so far at most once per ``interval`` seconds.

Flood control: a RetryAfter from Telegram pushes the next edit past its ``retry_after``; partial
edits in between are skipped (the text keeps accumulating), the final edit waits for it."""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from typing import Any

import structlog
from telegram import Message
from telegram.error import BadRequest, RetryAfter

log = structlog.get_logger(__name__)
_END = object()
FINAL_ATTEMPTS = 4


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


async def iterate_in_thread(make: Callable[[], Iterator[Any]]) -> AsyncIterator[Any]:
    """Items of a blocking iterator, produced in a worker thread; its exception is re-raised here."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()

    def produce() -> None:
        try:
            for item in make():
                loop.call_soon_threadsafe(queue.put_nowait, item)
        except BaseException as error:  # noqa: BLE001 - handed to the consumer
            loop.call_soon_threadsafe(queue.put_nowait, _Failed(error))
        finally:
            loop.call_soon_threadsafe(queue.put_nowait, _END)

    producer = loop.run_in_executor(None, produce)
    try:
        while (item := await queue.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        await producer


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ThrottledEditor:
    """Edits one message: ``partial`` when allowed by the interval, ``final`` always (waiting)."""

    def __init__(self, message: Message, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.message = message
        self.interval = interval
        self.clock = clock
        self.next_at = clock() + interval
        self.shown = message.text or ""

    async def partial(self, text: str) -> None:
        if text == self.shown or self.clock() < self.next_at:
            return
        try:
            await self.message.edit_text(text)
            self.shown = text
            self.next_at = self.clock() + self.interval
        except RetryAfter as error:
            self._back_off(error)
        except BadRequest as error:  # "message is not modified" and the like: skip this edit
            log.debug("bot_partial_edit_refused", error=str(error))

    async def final(self, text: str, **kwargs: Any) -> Message | bool:
        for attempt in range(FINAL_ATTEMPTS):
            wait = self.next_at - self.clock()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                result = await self.message.edit_text(text, **kwargs)
                self.shown = text
                self.next_at = self.clock() + self.interval
                return result
            except RetryAfter as error:
                self._back_off(error)
                if attempt == FINAL_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _back_off(self, error: RetryAfter) -> None:
        seconds = retry_seconds(error)
        log.info("bot_flood_control", retry_after=seconds)
        self.next_at = self.clock() + seconds
