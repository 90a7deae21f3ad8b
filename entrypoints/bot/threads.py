"""Conversation threads on Telegram: which thread a message continues, /new, /history, /export and
the history's buttons (``thr:<id>`` continue, ``exp:<id>`` export).

A plain message continues the *current* thread of the active document; a reply to an earlier
answer continues that answer's thread. What the bot remembers between updates is in the cache port
(shared by every bot process when Redis is configured, kept POINTER_TTL) and in the database:

- ``bot:thread:<user>`` = ``<document>:<thread>``: the thread made current (by a /history button, a
  reply, the last question) while ``<document>`` was active; ``<document>:new`` after /new or a change
  of document: the next question starts a thread. Missing (expired, an in-memory cache restarted) or
  set for another document: the active document's most recently updated thread is current.
- ``bot:answer:<chat>:<message>`` = ``<conversation>:<thread>``: each answer message's thread, so a
  reply finds it even once the answer's document is gone; the answer's ``cite:<conversation>:<n>``
  buttons, read from the replied message, are the fallback."""

from __future__ import annotations

import html
import uuid

import structlog
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import ContextTypes

from application.use_cases.export_threads import FORMATS
from application.use_cases.list_documents import ListDocumentsQuery
from domain.errors import DocumentNotFound, ServiceUnavailable, ThreadNotFound
from domain.threads import Thread, ThreadScope
from domain.users import User
from entrypoints.bot.context import acting_user, container, reply, run
from entrypoints.bot.i18n import t

log = structlog.get_logger(__name__)
POINTER_TTL = 30 * 86400  # seconds the current thread and the answers' threads are remembered
HISTORY_LIMIT = 10
NEW = "new"
NONE = "-"  # the anchor when no document is active
FORMAT_NAMES = {"markdown": "md", "word": "docx"}


def _pointer_key(user_id: uuid.UUID) -> str:
    return f"bot:thread:{user_id.hex}"


def _answer_key(chat_id: int, message_id: int) -> str:
    return f"bot:answer:{chat_id}:{message_id}"


def _anchor(document_id: uuid.UUID | None) -> str:
    return document_id.hex if document_id is not None else NONE


async def _cache_get(context: ContextTypes.DEFAULT_TYPE, key: str) -> str | None:
    try:
        raw = await run(container(context).cache().get, key)
    except ServiceUnavailable:  # no shared memory right now: derived from the database instead
        log.warning("bot_thread_memory_unavailable")
        return None
    return raw.decode() if raw else None


async def _cache_set(context: ContextTypes.DEFAULT_TYPE, key: str, value: str) -> bool:
    try:
        await run(container(context).cache().set, key, value.encode(), ttl_seconds=POINTER_TTL)
    except ServiceUnavailable:
        log.warning("bot_thread_memory_unavailable")
        return False
    return True


async def make_current(context: ContextTypes.DEFAULT_TYPE, user: User, thread_id: uuid.UUID | None,
                       document_id: uuid.UUID | None) -> None:
    """Plain messages about ``document_id`` now continue ``thread_id``; None: the next one starts a
    thread (/new, another document chosen)."""
    value = f"{_anchor(document_id)}:{thread_id.hex if thread_id is not None else NEW}"
    if await _cache_set(context, _pointer_key(user.id), value) or thread_id is not None or document_id is None:
        return
    # no shared memory: the fresh thread is started now, in the database, as the document's newest
    await run(container(context).threads().create, user.id, document_ids=(document_id,))


async def _pointer(context: ContextTypes.DEFAULT_TYPE, user: User, document_id: uuid.UUID | None) -> str | None:
    """The remembered thread's id (hex) or NEW when it was remembered for ``document_id``, else None."""
    anchor, _, value = (await _cache_get(context, _pointer_key(user.id)) or "").partition(":")
    return (value or None) if anchor == _anchor(document_id) else None


async def current_thread(context: ContextTypes.DEFAULT_TYPE, user: User, document_id: uuid.UUID,
                         *, ignore_pointer: bool = False) -> uuid.UUID:
    """The thread a plain message about ``document_id`` continues (created when there is none)."""
    pointer = None if ignore_pointer else await _pointer(context, user, document_id)
    if pointer not in {None, NEW}:
        try:
            return uuid.UUID(hex=pointer)
        except ValueError:
            pointer = None  # a damaged entry: derived below
    if pointer is None:
        latest = await run(container(context).threads().latest_about, user.id, document_id)
        if latest is not None:
            return latest.id
    created = await run(container(context).threads().create, user.id, document_ids=(document_id,))
    await make_current(context, user, created.id, document_id)
    return created.id


async def replied_thread(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User) -> uuid.UUID | None:
    """The thread of the answer the message replies to; None when it replies to no answer of ours.
    ThreadNotFound when that answer and its thread are gone."""
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    if replied is None or replied.from_user is None or not replied.from_user.is_bot:
        return None
    remembered = await _cache_get(context, _answer_key(replied.chat_id, replied.message_id))
    if remembered:
        try:
            return uuid.UUID(hex=remembered.partition(":")[2])
        except ValueError:
            pass
    key = _conversation_in_buttons(replied)
    if key is None:
        return None  # a reply to another message of ours ("ready", a list ...): the current thread
    conversation = await run(container(context).list_conversations().find, user.id, key)
    if conversation is None or conversation.thread_id is None:
        raise ThreadNotFound("That answer is gone.", conversation_id=key.hex)
    return conversation.thread_id


def _conversation_in_buttons(message: Message) -> uuid.UUID | None:
    markup = message.reply_markup
    for row in markup.inline_keyboard if markup is not None else ():
        for button in row:
            data = button.callback_data if isinstance(button.callback_data, str) else ""
            action, _, rest = data.partition(":")
            if action == "cite":
                try:
                    return uuid.UUID(hex=rest.partition(":")[0])
                except ValueError:
                    return None
    return None


async def remember_answer(context: ContextTypes.DEFAULT_TYPE, messages: list[Message], conversation_id: uuid.UUID,
                          thread_id: uuid.UUID | None) -> None:
    """Each message of an answer -> its conversation and thread (for replies)."""
    if thread_id is None:
        return
    for message in messages:
        await _cache_set(context, _answer_key(message.chat_id, message.message_id),
                         f"{conversation_id.hex}:{thread_id.hex}")


async def new_thread(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/new: the next question about the active document starts a thread."""
    user = await acting_user(update, context)
    if user.active_document_id is None:
        await reply(update, t(user.language, "no_active"))
        return
    await make_current(context, user, None, user.active_document_id)
    await reply(update, t(user.language, "new_thread"))


async def history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/history: the recent threads with a question or more, a button to continue or export each."""
    user = await acting_user(update, context)
    language = user.language
    recent = await run(_recent, context, user.id)
    if not recent:
        await reply(update, t(language, "history_empty"))
        return
    listed = await run(container(context).list_documents(), ListDocumentsQuery(user_id=user.id, limit=50))
    names = {document.id: document.filename for document in listed.documents}
    current = await _pointer(context, user, user.active_document_id)
    lines, rows = [t(language, "history_title")], []
    for number, (thread, turns) in enumerate(recent, start=1):
        star = "★ " if thread.id.hex == current else ""
        lines.append(t(language, "history_line", n=number, star=star,
                       title=html.escape(thread.title or t(language, "untitled")),
                       about=_about(thread, names, language), date=f"{thread.updated_at:%Y-%m-%d %H:%M}", turns=turns))
        rows.append([InlineKeyboardButton(t(language, "btn_continue", n=number), callback_data=f"thr:{thread.id.hex}"),
                     InlineKeyboardButton(t(language, "btn_export", n=number), callback_data=f"exp:{thread.id.hex}")])
    await reply(update, "\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))


def _about(thread: Thread, names: dict[uuid.UUID, str], language: str) -> str:
    if thread.scope is ThreadScope.LIBRARY:
        return t(language, "scope_library")
    if thread.scope is ThreadScope.DOCUMENTS:
        return t(language, "scope_documents", count=len(thread.document_ids))
    name = names.get(thread.document_ids[0])
    return html.escape(name) if name else t(language, "scope_gone")


def _recent(context: ContextTypes.DEFAULT_TYPE, user_id: uuid.UUID) -> list[tuple[Thread, int]]:
    """The newest threads that have turns, with their number of turns (one started and not asked in
    yet is left out)."""
    page = container(context).threads().list(user_id, limit=HISTORY_LIMIT * 3)
    return [(thread, page.turns[thread.id]) for thread in page.threads if page.turns[thread.id]][:HISTORY_LIMIT]


async def continue_thread(update: Update, context: ContextTypes.DEFAULT_TYPE, thread_id: uuid.UUID) -> None:
    """A /history button: the thread becomes current (its document the active one)."""
    user = await acting_user(update, context)
    language = user.language
    try:
        view = await run(container(context).threads().get, user.id, thread_id)
    except ThreadNotFound:
        await reply(update, t(language, "thread_missing"))
        return
    thread, anchor = view.thread, user.active_document_id
    if thread.scope is ThreadScope.DOCUMENT:
        try:
            document = await run(container(context).select_active_document(), user.id, thread.document_ids[0])
        except DocumentNotFound:
            await reply(update, t(language, "thread_gone"))
            return
        anchor = document.id
    await make_current(context, user, thread.id, anchor)
    last = view.turns[-1].question if view.turns else ""
    await reply(update, t(language, "thread_continued", title=html.escape(thread.title or t(language, "untitled")),
                          last=html.escape(last[:200])))


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export [docx|md|pdf|json]: the current thread of the active document as a file."""
    user = await acting_user(update, context)
    wanted = (context.args or ["docx"])[0].lower().lstrip(".")
    wanted = FORMAT_NAMES.get(wanted, wanted)
    if wanted not in FORMATS:
        await reply(update, t(user.language, "export_usage"))
        return
    if user.active_document_id is None:
        await reply(update, t(user.language, "no_active"))
        return
    pointer = await _pointer(context, user, user.active_document_id)
    thread: uuid.UUID | None = None
    if pointer not in {None, NEW}:
        thread = uuid.UUID(hex=pointer)
    else:
        latest = await run(container(context).threads().latest_about, user.id, user.active_document_id)
        thread = latest.id if latest is not None else None
    if thread is None:
        await reply(update, t(user.language, "history_empty"))
        return
    await export_thread(update, context, thread, wanted)


async def export_thread(update: Update, context: ContextTypes.DEFAULT_TYPE, thread_id: uuid.UUID,
                        file_format: str = "docx") -> None:
    """The thread sent as a document (sendDocument)."""
    user = await acting_user(update, context)
    exports = getattr(container(context), "export_threads", None)  # application.use_cases.export_threads
    if exports is None:
        await reply(update, t(user.language, "export_unavailable"))
        return
    try:
        exported = await run(exports().thread, user.id, thread_id, file_format)
    except ThreadNotFound:
        await reply(update, t(user.language, "thread_missing"))
        return
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(chat.id, InputFile(exported.data, filename=exported.filename),
                                    filename=exported.filename)
