"""/mydocs, /use, /clear and their buttons: the user's documents."""

from __future__ import annotations

import html
import uuid

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from application.use_cases.list_documents import ListDocumentsQuery
from domain.documents import Document
from domain.users import User
from entrypoints.bot.context import acting_user, container, reply, run
from entrypoints.bot.i18n import t
from entrypoints.bot.threads import make_current

LIST_LIMIT = 20


async def documents_of(context: ContextTypes.DEFAULT_TYPE, user: User) -> list[Document]:
    page = await run(container(context).list_documents(), ListDocumentsQuery(user_id=user.id, limit=LIST_LIMIT))
    return page.documents


async def mydocs(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = await acting_user(update, context)
    language = user.language
    documents = await documents_of(context, user)
    if not documents:
        await reply(update, t(language, "no_documents"))
        return
    lines, rows = [t(language, "mydocs_title")], []
    for number, document in enumerate(documents, start=1):
        star = "★ " if document.id == user.active_document_id else ""
        status = t(language, f"status_{document.status.value}")
        lines.append(f"{number}. {star}{html.escape(document.filename)} — {status}")
        rows.append([InlineKeyboardButton(t(language, "btn_use", n=number), callback_data=f"use:{document.id}"),
                     InlineKeyboardButton(t(language, "btn_delete", n=number), callback_data=f"del:{document.id}")])
    await reply(update, "\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))


async def use(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = await acting_user(update, context)
    wanted = (context.args or [""])[0].strip().lower()
    if not wanted:
        await mydocs(update, context)
        return
    documents = await documents_of(context, user)
    chosen = None
    if wanted.isdigit() and 1 <= int(wanted) <= len(documents):
        chosen = documents[int(wanted) - 1]
    else:
        matches = [d for d in documents if str(d.id).startswith(wanted)]
        chosen = matches[0] if len(matches) == 1 else None
    if chosen is None:
        await reply(update, t(user.language, "use_usage"))
        return
    await select(update, context, chosen.id)


async def select(update: Update, context: ContextTypes.DEFAULT_TYPE, document_id: uuid.UUID) -> None:
    user = await acting_user(update, context)
    document = await run(container(context).select_active_document(), user.id, document_id)
    await make_current(context, user, None, document.id)  # another document chosen: a new thread
    await reply(update, t(user.language, "now_active", name=html.escape(document.filename)))


async def delete(update: Update, context: ContextTypes.DEFAULT_TYPE, document_id: uuid.UUID) -> None:
    user = await acting_user(update, context)
    document = await run(container(context).delete_document(), user.id, document_id)
    await reply(update, t(user.language, "deleted", name=html.escape(document.filename)))


async def clear(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = await acting_user(update, context)
    documents = await documents_of(context, user)
    if not documents:
        await reply(update, t(user.language, "no_documents"))
        return
    count = len(documents) if len(documents) < LIST_LIMIT else f"{LIST_LIMIT}+"
    buttons = [[InlineKeyboardButton(t(user.language, "btn_yes_clear"), callback_data="clear:yes"),
                InlineKeyboardButton(t(user.language, "btn_cancel"), callback_data="clear:no")]]
    await reply(update, t(user.language, "clear_confirm", count=count), reply_markup=InlineKeyboardMarkup(buttons))


async def clear_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE, confirmed: bool) -> None:
    user = await acting_user(update, context)
    if not confirmed:
        await reply(update, t(user.language, "cancelled"))
        return
    count = await run(container(context).clear_documents(), user.id)
    await reply(update, t(user.language, "cleared", count=count))
