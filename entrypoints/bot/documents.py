"""Files, photos and voice notes: downloaded through getFile, uploaded as documents (photos sent
together as one document of pages; a caption asked once the document is ready) or transcribed
and asked."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import ContextTypes

from application.use_cases.upload_document import UploadDocumentCommand, UploadResult
from domain.documents import DocumentStatus
from domain.errors import DomainError
from entrypoints.bot.context import acting_user, container, reply, run
from entrypoints.bot.errors import describe
from entrypoints.bot.i18n import t
from entrypoints.bot.progress import watch_progress
from entrypoints.bot.questions import answer
from entrypoints.bot.threads import make_current

BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile on the public Bot API; a self-hosted server has none
DOWNLOAD_LIMIT = "download_limit"  # bot_data key: None when the Bot API server is self-hosted
ALBUMS = "albums"  # bot_data key: media_group_id -> the photos of an album still arriving
ALBUM_WAIT = "album_wait"  # bot_data key: seconds after an album's last photo before it is one document


async def _refused_as_too_big(update: Update, context: ContextTypes.DEFAULT_TYPE, size: int | None,
                              language: str) -> bool:
    """True (and the user told) when the file is larger than the Bot API lets the bot download."""
    limit = context.application.bot_data.get(DOWNLOAD_LIMIT, BOT_API_DOWNLOAD_LIMIT)
    if limit is None or size is None or size <= limit:
        return False
    await reply(update, t(language, "too_big", size=f"{size / 2**20:.1f}"), html=False)
    return True


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    attachment = message.document or message.audio
    if attachment is None:
        return
    user = await acting_user(update, context)
    language = user.language
    if await _refused_as_too_big(update, context, attachment.file_size, language):
        return
    name = attachment.file_name or f"{attachment.file_unique_id}.bin"
    data = await _download(context, attachment.file_id)
    await _store(update, context, name, lambda: container(context).upload_document()(
        UploadDocumentCommand(user_id=user.id, filename=name, data=data)), message.caption)


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo is an image document read by OCR; photos sent together (an album) become one
    document, a page per photo; the caption is asked once the document is ready."""
    message = update.effective_message
    assert message is not None and message.photo
    photo = message.photo[-1]  # the largest size Telegram keeps
    user = await acting_user(update, context)
    if await _refused_as_too_big(update, context, photo.file_size, user.language):
        return
    if message.media_group_id is None:
        data = await _download(context, photo.file_id)
        name = f"photo-{_stamp()}.jpg"
        await _store(update, context, name, lambda: container(context).upload_document()(
            UploadDocumentCommand(user_id=user.id, filename=name, data=data)), message.caption)
        return
    albums: dict[str, dict] = context.application.bot_data.setdefault(ALBUMS, {})
    album = albums.setdefault(message.media_group_id, {"photos": [], "caption": None, "task": None})
    album["photos"].append((message.message_id, photo.file_id))
    album["caption"] = album["caption"] or message.caption
    if album["task"] is not None:  # wait for the rest: Telegram sends an album's photos one by one
        album["task"].cancel()
    album["task"] = context.application.create_task(_album_complete(update, context, message.media_group_id),
                                                    update=update)


async def _album_complete(update: Update, context: ContextTypes.DEFAULT_TYPE, group: str) -> None:
    await asyncio.sleep(context.application.bot_data.get(ALBUM_WAIT, 1.5))
    album = context.application.bot_data[ALBUMS].pop(group)
    user = await acting_user(update, context)
    photos = [await _download(context, file_id) for _, file_id in sorted(album["photos"])]
    name = f"album-{_stamp()}.pdf"
    await _store(update, context, name, lambda: container(context).upload_document().album(user.id, name, photos),
                 album["caption"])


async def _download(context: ContextTypes.DEFAULT_TYPE, file_id: str) -> bytes:
    file = await context.bot.get_file(file_id)
    return bytes(await file.download_as_bytearray())


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d-%H%M%S")


async def _store(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str,
                 upload: Callable[[], UploadResult], question: str | None) -> None:
    """Upload (in a thread), say what became of it, watch its progress; ask ``question`` when ready."""
    user = await acting_user(update, context)
    language = user.language
    status = await reply(update, t(language, "processing", name=html.escape(name)))
    try:
        result = await run(upload)
    except DomainError as error:  # refused (type, size, quota ...): said in place of "Processing…"
        await status.edit_text(describe(error, language))
        return
    document = result.document
    question = (question or "").strip() or None

    async def ask_caption(ready: object) -> None:
        await answer(update, context, question, document_id=document.id)

    if result.duplicate:
        await run(container(context).select_active_document(), user.id, document.id)
        await make_current(context, user, None, document.id)  # chosen again: a new thread
        await status.edit_text(t(language, "duplicate", name=html.escape(document.filename)), parse_mode="HTML")
        if question and document.status is DocumentStatus.COMPLETED:
            await answer(update, context, question, document_id=document.id)
    elif document.status is DocumentStatus.PENDING:
        await make_current(context, user, None, document.id)  # the new active document: a new thread
        await status.edit_text(t(language, "received", name=html.escape(document.filename)), parse_mode="HTML")
        context.application.create_task(watch_progress(context, status, user.id, document.id, language,
                                                       when_ready=ask_caption if question else None), update=update)


async def on_voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.voice is not None
    user = await acting_user(update, context)
    if await _refused_as_too_big(update, context, message.voice.file_size, user.language):
        return
    if user.active_document_id is None:  # nothing to ask about: spare the transcription
        await reply(update, t(user.language, "no_active"))
        return
    file = await message.voice.get_file()
    data = bytes(await file.download_as_bytearray())
    segments = await run(container(context).transcriber().transcribe, data, language=user.language)
    text = " ".join(segment.text for segment in segments).strip()
    if not text:
        await reply(update, t(user.language, "no_speech"))
        return
    await reply(update, t(user.language, "transcript", text=html.escape(text)))
    await answer(update, context, text)
