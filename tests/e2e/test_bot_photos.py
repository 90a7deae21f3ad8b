"""Photos through the fake Bot API: a photo is an image document read by OCR and its caption is
asked once it is ready; photos sent together (an album) become one document, a page per photo."""

from __future__ import annotations

import asyncio
from pathlib import Path


from domain.documents import DocumentKind, DocumentStatus
from entrypoints.bot.documents import ALBUM_WAIT
from tests.binaries import require_binary
from tests.image_factory import corpus_jpeg
from tests.e2e.bot_api_server import FakeBotApi
from tests.e2e.bot_harness import BotHarness, Person

ANN = Person(id=3001, language="en", first_name="Ann")


async def _until(api: FakeBotApi, predicate, timeout: float = 120) -> None:  # noqa: ANN001
    """Wait for a message while the bot's own tasks (progress watchers, the album timer) run."""
    for _ in range(int(timeout / 0.1)):
        if any(predicate(text) for text in api.texts()):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"no matching message within {timeout}s; sent: {api.texts()}")


def _documents(bot: BotHarness) -> list:
    with bot.container.uow() as uow:
        user = uow.users.get_by_telegram_id(ANN.id)
        return uow.documents.list_for_owner(user.id, limit=10)


def test_a_photo_with_a_caption_is_read_and_its_caption_answered(api: FakeBotApi, tmp_path: Path) -> None:
    require_binary("tesseract", "tesseract-ocr")

    async def scenario() -> list:
        async with BotHarness.create(api, tmp_path) as bot:
            await bot.send_photo(ANN, corpus_jpeg("images/linn.png"),
                                 caption="How many tracks does the LinnSequencer record?")
            await _until(api, lambda text: "32" in text and "page 1" in text)
            return _documents(bot)

    [document] = asyncio.run(scenario())
    assert document.kind is DocumentKind.IMAGE and document.status is DocumentStatus.COMPLETED
    assert document.filename.startswith("photo-") and document.thumbnail_key is not None
    texts = api.texts()
    ready = next(i for i, text in enumerate(texts) if text.startswith("✅"))
    answered = next(i for i, text in enumerate(texts) if "32" in text and "page 1" in text)
    assert ready < answered  # the caption is answered after the document is ready


def test_an_album_becomes_one_document_of_pages(api: FakeBotApi, tmp_path: Path) -> None:
    require_binary("tesseract", "tesseract-ocr")

    async def scenario() -> list:
        async with BotHarness.create(api, tmp_path) as bot:
            bot.application.bot_data[ALBUM_WAIT] = 0.3
            await bot.send_photo(ANN, corpus_jpeg("images/linn.png"), media_group_id="g1", caption="Linn")
            await bot.send_photo(ANN, corpus_jpeg("images/typewriter.png"), media_group_id="g1")
            await _until(api, lambda text: text.startswith("✅"))
            return _documents(bot)

    [album] = asyncio.run(scenario())
    assert album.kind is DocumentKind.PDF and album.page_count == 2 and album.filename.startswith("album-")
    assert album.status is DocumentStatus.COMPLETED
    assert sum(text.startswith("⏳ Processing") for text in api.texts()) == 1  # one document, one message
