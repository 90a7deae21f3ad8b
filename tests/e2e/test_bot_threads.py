"""Conversation threads on the bot (entrypoints.bot.threads), end to end through the fake Bot API:
a follow-up continues the thread, /new starts one, a reply continues the replied answer's thread,
/history lists threads with buttons to continue or export, a deleted document's thread says so."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

from domain.conversations import Conversation
from tests.e2e.bot_api_server import BOT, FakeBotApi
from tests.e2e.bot_harness import BotHarness, Person
from tests.e2e.conftest import STOCK_CSV

ANN = Person(id=2001, language="en", first_name="Ann")
IVAN = Person(id=2002, language="ru", first_name="Иван")
TALLINN_22 = "How many units of KX-22 are at the Tallinn depot?"
TALLINN_19 = "How many units of KX-19 are at the Tallinn depot?"
RIGA = "And how many at the Riga depot?"


async def upload_stock(bot: BotHarness, person: Person, name: str = "stock.csv") -> None:
    await bot.send_file(person, name, STOCK_CSV.encode(), mime="text/csv")
    bot.api.wait_for(lambda text: text.startswith(f"✅ <b>{name}</b>"))


def answer_message(api: FakeBotApi) -> dict[str, Any]:
    """The last answer as it stands in the chat: its final edit (message id, HTML, buttons)."""
    return api.of("editMessageText")[-1].params


async def reply_to(bot: BotHarness, person: Person, answer: dict[str, Any], text: str, *,
                   with_buttons: bool = True) -> None:
    """A reply as Telegram sends it: the replied bot message inside, with its inline keyboard."""
    replied = {"message_id": answer["message_id"], "date": int(time.time()), "from": BOT,
               "chat": {"id": person.id, "type": "private"}, "text": answer["text"]}
    if with_buttons:
        replied["reply_markup"] = answer["reply_markup"]
    await bot.feed({"update_id": int(time.time() * 1000) % 10**9,
                    "message": bot._message(person, text=text, reply_to_message=replied)})


def turns(bot: BotHarness, person: Person) -> list[Conversation]:
    """The person's stored questions and answers, oldest first."""
    with bot.container.uow() as uow:
        user = uow.users.get_by_telegram_id(person.id)
        assert user is not None
        return list(reversed(uow.conversations.list_for_user(user.id, limit=100)))


def buttons(call_params: dict[str, Any]) -> list[str]:
    return [b["callback_data"] for row in call_params["reply_markup"]["inline_keyboard"] for b in row]


def test_follow_ups_new_threads_replies_history_and_export(api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            await upload_stock(bot, ANN)
            await bot.send(ANN, TALLINN_22)
            first = answer_message(api)
            assert "340" in first["text"] and buttons(first)[0].startswith("cite:")
            await bot.send(ANN, RIGA)  # understood as KX-22: "Riga" alone would not say which SKU
            assert "410" in answer_message(api)["text"]

            await bot.send(ANN, "/new")
            assert api.texts("sendMessage")[-1].startswith("🆕 New conversation")
            await bot.send(ANN, TALLINN_19)
            assert "120" in answer_message(api)["text"]

            await reply_to(bot, ANN, first, RIGA)  # the first thread again: KX-22, not the newer KX-19
            assert "410" in answer_message(api)["text"]
            bot.container.cache().delete(f"bot:answer:{ANN.id}:{first['message_id']}")
            await reply_to(bot, ANN, first, "And how many at the Tallinn depot?")  # found from its cite: buttons
            assert "340" in answer_message(api)["text"]

            await bot.send(ANN, "/history")
            listing = api.of("sendMessage")[-1].params
            await bot.press(ANN, buttons(listing)[2])  # ▶ 2: the KX-19 thread, now the older one
            assert api.texts("sendMessage")[-1].startswith("▶ Continuing <b>How many units of KX-19")
            await bot.send(ANN, RIGA)
            assert "75" in answer_message(api)["text"]

            await bot.press(ANN, buttons(listing)[1])  # 📄 1: the KX-22 thread as DOCX
            await bot.send(ANN, "/export md")  # the current thread (KX-19) as Markdown
            await bot.send(ANN, "/export rtf")
            return listing, turns(bot, ANN)

    listing, stored = asyncio.run(scenario())
    first, follow_up, other, replied, replied_again, other_follow_up = stored
    assert first.thread_id is not None and follow_up.thread_id == first.thread_id
    assert follow_up.question == RIGA and "410" in follow_up.answer
    assert other.thread_id not in {None, first.thread_id}  # /new
    assert replied.thread_id == replied_again.thread_id == first.thread_id  # replies to the first answer
    assert other_follow_up.thread_id == other.thread_id and "75" in other_follow_up.answer  # ▶ 2
    history_text = listing["text"]
    assert history_text.startswith("<b>Your conversations</b>")
    lines = history_text.splitlines()[1:]
    assert len(lines) == 2
    assert lines[0].startswith("1. ★ How many units of KX-22") and "stock.csv" in lines[0] and lines[0].endswith("💬 4")
    assert lines[1].startswith("2. How many units of KX-19") and lines[1].endswith("💬 1")
    assert [b.split(":")[0] for b in buttons(listing)] == ["thr", "exp", "thr", "exp"]
    docx, markdown = api.of("sendDocument")
    assert b"PK" in docx.params["body"] and b".docx" in docx.params["body"]
    assert b".md" in markdown.params["body"] and b"KX-19" in markdown.params["body"]
    assert b"KX-22 are at the Tallinn" not in markdown.params["body"]
    assert api.texts("sendMessage")[-1].startswith("Send /export for a Word file")



def test_a_thread_survives_a_restart_and_one_whose_document_was_deleted_says_start_over(api: FakeBotApi,
                                                                                         tmp_path: Path) -> None:
    async def first_process() -> dict[str, Any]:
        async with BotHarness.create(api, tmp_path) as bot:
            await upload_stock(bot, IVAN)
            await bot.send(IVAN, TALLINN_22)
            return answer_message(api)

    async def second_process(first: dict[str, Any]) -> list[Conversation]:
        async with BotHarness.create(api, tmp_path) as bot:
            await bot.send(IVAN, RIGA)  # another process: the current thread is not in its memory
            assert "410" in answer_message(api)["text"]
            with bot.container.uow() as uow:
                user = uow.users.get_by_telegram_id(IVAN.id)
            assert user is not None
            bot.container.cache().delete(f"bot:thread:{user.id.hex}")  # forgotten: the document's latest thread
            await bot.send(IVAN, "And how many at the Tallinn depot?")
            assert "340" in answer_message(api)["text"]
            stored = turns(bot, IVAN)

            await bot.send_file(IVAN, "notes.md", b"# Notes\n\nInvoices are payable within 30 days.\n",
                                mime="text/markdown")
            api.wait_for(lambda text: text.startswith("✅ <b>notes.md</b>"))
            stock = next(d for d in bot.container.list_documents()(_documents_query(user.id)).documents
                         if d.filename == "stock.csv")
            await bot.send(IVAN, "/history")
            listing = api.of("sendMessage")[-1].params
            await bot.press(IVAN, f"del:{stock.id}")  # its answers go with it; the thread stays, empty
            await reply_to(bot, IVAN, first, RIGA)
            await bot.press(IVAN, buttons(listing)[0])  # ▶ 1, from the list shown before
            await bot.send(IVAN, "/history")
            await bot.send(IVAN, "/new")
            return stored

    first = asyncio.run(first_process())
    stored = asyncio.run(second_process(first))
    assert len({turn.thread_id for turn in stored}) == 1 and stored[0].thread_id is not None
    texts = api.texts("sendMessage")
    listing, deleted, gone_after_reply, gone_after_button, empty, new = texts[-6:]
    assert listing.startswith("<b>Ваши диалоги</b>") and "stock.csv" in listing and listing.endswith("💬 3")
    assert deleted == "Документ <b>stock.csv</b> удалён."
    assert gone_after_reply.startswith("Документ этого диалога удалён") and "/new" in gone_after_reply
    assert gone_after_button == gone_after_reply
    assert empty.startswith("Диалогов пока нет")  # a thread with no turns left is not listed
    assert new.startswith("🆕 Новый диалог")


def _documents_query(user_id: uuid.UUID):  # type: ignore[no-untyped-def]
    from application.use_cases.list_documents import ListDocumentsQuery

    return ListDocumentsQuery(user_id=user_id, limit=50)
