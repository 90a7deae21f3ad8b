"""A text message is a question about the active document, the next turn of its current thread (a
reply to an answer: of that answer's thread; entrypoints.bot.threads): the answer streams into one
message by edits, then the final HTML with citations (split at 4096 characters) and buttons for the
sources."""

from __future__ import annotations

import asyncio
import html
import uuid

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from application.ports.language_model import CompletionDelta
from application.use_cases.query_document import QueryDocumentCommand
from domain.conversations import Conversation
from domain.errors import ThreadDocumentsGone, ThreadNotFound
from domain.language import reply_language
from domain.users import User
from entrypoints.bot import threads
from entrypoints.bot.context import EDIT_INTERVAL, acting_user, container, reply, run
from entrypoints.bot.formatting import preview, render_answer, split_passage
from entrypoints.bot.i18n import t
from entrypoints.bot.streaming import ThrottledEditor, iterate_in_thread

MAX_SOURCE_BUTTONS = 8
TYPING_REPEAT = 4.5


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    await answer(update, context, message.text)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = await acting_user(update, context)
    await reply(update, t(user.language, "not_a_file"))


async def keep_typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    """Telegram shows "typing" for about 5 s: repeat it until cancelled (the first words arrived)."""
    while True:
        await asyncio.sleep(TYPING_REPEAT)
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError:
            pass


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str,
                 document_id: uuid.UUID | None = None) -> None:
    """Answer ``question`` as the next turn of a thread, streamed: the thread of the answer the
    message replies to, else the current thread of ``document_id`` (default: the active document)."""
    user = await acting_user(update, context)
    language = user.language
    try:
        replied = await threads.replied_thread(update, context, user)
    except ThreadNotFound:
        await reply(update, t(language, "thread_gone"))
        return
    document_id = document_id or user.active_document_id
    if replied is None and document_id is None:
        await reply(update, t(language, "no_active"))
        return
    try:
        command = await _thread_command(context, user, question, replied, document_id)
    except (ThreadNotFound, ThreadDocumentsGone):
        await reply(update, t(language, "thread_gone"))
        return
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    typing = asyncio.create_task(keep_typing(context, chat.id))
    stream = iterate_in_thread(lambda: container(context).query_document().stream(command))
    text, editor, conversation = "", None, None
    try:
        async for item in stream:  # the first item comes after every check: errors arrive before any message
            if isinstance(item, Conversation):
                conversation = item
                continue
            if isinstance(item, CompletionDelta):
                text += item.text
                if editor is None:
                    typing.cancel()
                    sent = await reply(update, preview(text) or t(language, "thinking"), html=False)
                    editor = ThrottledEditor(sent, context.application.bot_data.get(EDIT_INTERVAL, 1.0))
                else:
                    await editor.partial(preview(text))
    finally:
        typing.cancel()
    assert conversation is not None
    answer_language = reply_language(conversation.question, language)
    parts = render_answer(conversation, t(answer_language, "sources"), language=answer_language)
    markup = _buttons(conversation, language)
    messages: list[Message | None] = []
    if editor is None:
        for number, part in enumerate(parts):
            messages.append(await reply(update, part, reply_markup=markup if number == len(parts) - 1 else None))
    else:
        await editor.final(parts[0], parse_mode=ParseMode.HTML, reply_markup=markup if len(parts) == 1 else None)
        messages.append(editor.message)
        for number, part in enumerate(parts[1:], start=2):
            messages.append(await reply(update, part, reply_markup=markup if number == len(parts) else None))
    await threads.remember_answer(context, [m for m in messages if m is not None], conversation.id,
                                  conversation.thread_id)
    if conversation.thread_id is not None and command.document_ids == (user.active_document_id,):
        await threads.make_current(context, user, conversation.thread_id, user.active_document_id)


async def _thread_command(context: ContextTypes.DEFAULT_TYPE, user: User, question: str, replied: uuid.UUID | None,
                          document_id: uuid.UUID | None) -> QueryDocumentCommand:
    """The command for the question as the next turn of the replied thread or of the current one."""
    questions = container(context).thread_questions()
    if replied is not None:
        return await run(questions.command, user.id, replied, question)
    assert document_id is not None
    thread = await threads.current_thread(context, user, document_id)
    try:
        return await run(questions.command, user.id, thread, question)
    except ThreadNotFound:  # the remembered thread was deleted meanwhile (on the API ...): derived again
        thread = await threads.current_thread(context, user, document_id, ignore_pointer=True)
        return await run(questions.command, user.id, thread, question)


def _buttons(conversation: Conversation, language: str) -> InlineKeyboardMarkup:
    """One button per cited passage (the conversation is stored: the buttons work in any bot process,
    after a restart too, until the answer's document is deleted), then "another document"."""
    rows = [[InlineKeyboardButton(t(language, "btn_cite", n=c.number, label=c.label_in(language)[:40]),
                                  callback_data=f"cite:{conversation.id.hex}:{c.number}")]
            for c in conversation.citations[:MAX_SOURCE_BUTTONS]]
    rows.append([InlineKeyboardButton(t(language, "btn_other_doc"), callback_data="docs")])
    return InlineKeyboardMarkup(rows)


async def show_source(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str, number: int) -> None:
    """The whole cited passage (not the citation's short quote), over several messages when long."""
    user = await acting_user(update, context)
    found = await run(container(context).list_conversations().passage, user.id, uuid.UUID(hex=key), number)
    if found is None:
        await reply(update, t(user.language, "cite_expired"))
        return
    cited, passage = found
    for piece_number, piece in enumerate(split_passage(passage)):
        text = html.escape(piece)
        await reply(update, t(user.language, "cite_text", n=number, label=html.escape(cited.label_in(user.language)), quote=text)
                    if piece_number == 0 else f"<blockquote>{text}</blockquote>")