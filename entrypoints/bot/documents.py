"""Files and voice notes: downloaded through getFile, uploaded as documents or transcribed and asked."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import ContextTypes

from application.use_cases.upload_document import UploadDocumentCommand
from domain.documents import DocumentStatus
from domain.errors import DomainError
from entrypoints.bot.context import acting_user, container, reply, run
from entrypoints.bot.errors import describe
from entrypoints.bot.i18n import t
from entrypoints.bot.progress import watch_progress
from entrypoints.bot.questions import answer

BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile on the public Bot API; a self-hosted server has none
DOWNLOAD_LIMIT = "download_limit"  # bot_data key: None when the Bot API server is self-hosted


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
    status = await reply(update, t(language, "processing", name=html.escape(name)))
    file = await attachment.get_file()
    data = bytes(await file.download_as_bytearray())
    try:
        result = await run(container(context).upload_document(),
                           UploadDocumentCommand(user_id=user.id, filename=name, data=data))
    except DomainError as error:  # refused (type, size, quota ...): said in place of "Processing…"
        await status.edit_text(describe(error, language))
        return
    document = result.document
    if result.duplicate:
        await run(container(context).select_active_document(), user.id, document.id)
        await status.edit_text(t(language, "duplicate", name=html.escape(document.filename)), parse_mode="HTML")
    elif document.status is DocumentStatus.PENDING:
        await status.edit_text(t(language, "received", name=html.escape(document.filename)), parse_mode="HTML")
        context.application.create_task(watch_progress(context, status, user.id, document.id, language),
                                        update=update)


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
