"""The Telegram bot end to end: the real PTB client against a fake Bot API server over HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.corpus import corpus_path
from tests.e2e.bot_api_server import FakeBotApi
from tests.e2e.bot_harness import BotHarness, Person
from tests.e2e.conftest import NOTES

ANN = Person(id=1001, language="en", first_name="Ann")
IVAN = Person(id=1002, language="ru", first_name="Иван")


def run(coroutine) -> None:  # type: ignore[no-untyped-def]
    asyncio.run(coroutine)


async def upload_notes(bot: BotHarness, person: Person) -> None:
    await bot.send_file(person, "notes.md", NOTES.encode(), mime="text/markdown")
    bot.api.wait_for(lambda text: text.startswith("✅ <b>notes.md</b>"))


def test_start_in_english_and_russian_and_commands_in_both_languages(api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            from entrypoints.bot.app import register_commands

            await register_commands(bot.application)
            await bot.send(ANN, "/start")
            await bot.send(IVAN, "/start")

    run(scenario())
    english, russian = api.texts("sendMessage")
    assert english.startswith("👋 Hello, Ann!") and "Your plan: <b>Free</b>" in english
    assert len(english.splitlines()) == 5  # greeting, three lines, the tier
    assert russian.startswith("👋 Здравствуйте, Иван!") and "Ваш тариф: <b>Бесплатный</b>" in russian
    default, ru = api.of("setMyCommands")
    assert "language_code" not in default.params and ru.params["language_code"] == "ru"
    assert [c["command"] for c in default.params["commands"]] == [
        "start", "help", "mydocs", "use", "new", "history", "export", "clear", "usage", "lang", "token"]
    assert ru.params["commands"][0]["description"] == "Начать и зарегистрироваться"


def test_a_pdf_is_processed_then_a_question_is_answered_with_citations_by_edits(api: FakeBotApi,
                                                                                 tmp_path: Path) -> None:
    pdf = corpus_path("pdf/text/federal-register-2020-17221.pdf").read_bytes()

    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            await bot.send_file(ANN, "federal-register.pdf", pdf)
            api.wait_for(lambda text: text.startswith("✅"), timeout=120)
            await bot.send(ANN, "What is the effective date of this AD?")

    run(scenario())
    texts = api.texts()
    assert texts[0] == "⏳ Processing <b>federal-register.pdf</b>…"
    ready = next(text for text in texts if text.startswith("✅"))
    assert ready.startswith("✅ <b>federal-register.pdf</b> is ready (15 pages)")
    assert api.of("sendChatAction")[-1].params["action"] == "typing"
    final = api.of("editMessageText")[-1].params
    assert final["parse_mode"] == "HTML" and "<b>Sources</b>" in final["text"] and "[1] page " in final["text"]
    buttons = [row[0] for row in final["reply_markup"]["inline_keyboard"]]
    assert buttons[0]["callback_data"].startswith("cite:") and buttons[-1]["callback_data"] == "docs"
    placeholder = api.of("sendMessage")[-1]
    assert placeholder.params.get("parse_mode") is None  # partial text is plain; only the final is HTML


def test_source_buttons_mydocs_use_delete_and_clear(api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            await upload_notes(bot, ANN)
            await bot.send(ANN, "When are invoices payable?")
            cite = api.of("editMessageText")[-1].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            await bot.press(ANN, cite)
            passage = api.texts("sendMessage")[-1]
            assert passage.startswith("<b>[1] ") and "<blockquote>" in passage and "30 days" in passage
            await bot.press(ANN, "cite:" + "0" * 32 + ":1")
            assert api.texts("sendMessage")[-1] == \
                "That answer is gone (its document was deleted); ask again."
            await bot.press(IVAN, cite)  # another user's answer is not shown
            assert api.texts("sendMessage")[-1] == \
                "Этого ответа больше нет (его документ удалён); задайте вопрос снова."
            await bot.send(ANN, "/mydocs")
            listing = api.of("sendMessage")[-1].params
            assert "1. ★ notes.md — ready" in listing["text"]
            use, delete = listing["reply_markup"]["inline_keyboard"][0]
            await bot.press(ANN, use["callback_data"])
            assert api.texts("sendMessage")[-1] == "Questions now go to <b>notes.md</b>."
            await bot.send(ANN, "/clear")
            assert api.of("sendMessage")[-1].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] \
                == "clear:yes"
            await bot.press(ANN, "clear:yes")
            assert api.texts("sendMessage")[-1] == "Deleted 1 documents."
            await bot.send(ANN, "Anything?")
            assert api.texts("sendMessage")[-1].startswith("Send me a document first")

    run(scenario())


def test_the_eleventh_question_in_a_minute_names_the_window_and_reset(api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path, telegram_edit_interval=0) as bot:
            await upload_notes(bot, IVAN)
            for _ in range(11):
                await bot.send(IVAN, "Когда оплачиваются счета?")
            await bot.send(IVAN, "/usage")

    run(scenario())
    limited = api.texts("sendMessage")[-2]
    assert limited.startswith("Вы исчерпали все 10 вопросов за минуту. Новые будут в ") and limited.endswith(" UTC.")
    usage = api.texts("sendMessage")[-1]
    assert "осталось 0 из 10" in usage and "Документы: 1 из 10" in usage


def test_a_banned_user_gets_one_polite_message(api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            from application.use_cases.ensure_user import EnsureTelegramUserCommand
            from config.bootstrap import local_user
            from domain.users import UserStatus

            await bot.send(ANN, "/start")
            admin = local_user(bot.container)
            user = bot.container.ensure_user().telegram(
                EnsureTelegramUserCommand(telegram_id=ANN.id))
            bot.container.set_status()(admin.id, user.id, UserStatus.BANNED)
            await bot.send(ANN, "/help")
            await bot.send(ANN, "Hello?")
            await bot.send(ANN, "/mydocs")

    run(scenario())
    after_start = api.texts("sendMessage")[1:]
    assert after_start == ["Sorry, this account has been suspended. If you think this is a mistake, contact support."]


def test_a_429_during_streaming_is_honoured(api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            await upload_notes(bot, ANN)
            api.fail_next["editMessageText"] = 1
            await bot.send(ANN, "When are invoices payable?")

    run(scenario())
    asked = api.of("sendChatAction")[-1].at
    edits = [call for call in api.of("editMessageText") if call.at > asked]
    refused, *after = edits
    assert after, "the answer was never delivered after the 429"
    assert after[0].at - refused.at >= 0.95  # nothing was edited before retry_after ran out
    assert after[-1].params["parse_mode"] == "HTML" and "30 days" in after[-1].params["text"]


def test_a_file_over_20_mb_is_explained_not_downloaded(api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            await bot.send_file(ANN, "huge.pdf", None, size=25 * 2**20)

    run(scenario())
    [message] = api.texts("sendMessage")
    assert "25.0 MB" in message and "20 MB" in message and "self-hosted Bot API server" in message
    assert not api.of("getFile")


def test_lang_switches_the_catalog_and_token_gives_a_code(api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            await bot.send(ANN, "/lang")
            await bot.press(ANN, "lang:ru")
            await bot.send(ANN, "/help")
            await bot.send(ANN, "/token")

    run(scenario())
    choose, done, help_text, token = api.texts("sendMessage")
    assert choose == "Choose a language:" and done == "Язык: русский." and help_text.startswith("<b>Команды</b>")
    assert "<code>" in token and "10 минут" in token


def test_the_processing_message_is_edited_with_progress(api: FakeBotApi, tmp_path: Path) -> None:
    import attrs
    from dependency_injector import providers

    from domain.documents import DocumentStatus
    from entrypoints.bot.progress import PROGRESS_INTERVAL

    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            real = bot.container.get_document()
            steps = iter([(3, 15, DocumentStatus.PROCESSING), (3, 15, DocumentStatus.PROCESSING),
                          (9, 15, DocumentStatus.PROCESSING), (15, 15, DocumentStatus.COMPLETED)])

            def progressing(user_id, document_id):  # type: ignore[no-untyped-def]
                done, total, status = next(steps, (15, 15, DocumentStatus.COMPLETED))
                return attrs.evolve(real(user_id, document_id), progress_done=done, progress_total=total,
                                    status=status)

            bot.container.get_document.override(providers.Object(progressing))
            bot.application.bot_data[PROGRESS_INTERVAL] = 0.01
            await bot.send_file(ANN, "report.md", NOTES.encode(), mime="text/markdown")
            for _ in range(200):
                await asyncio.sleep(0.01)
                if len(api.of("editMessageText")) >= 3:
                    break

    run(scenario())
    edits = [call.params["text"] for call in api.of("editMessageText")]
    assert edits == ["⏳ Got <b>report.md</b>; I will tell you when it is ready.",
                     "⏳ Processing <b>report.md</b>… 3/15 (20%)", "⏳ Processing <b>report.md</b>… 9/15 (60%)"]


def test_unexpected_errors_and_unknown_messages_get_a_plain_line(api: FakeBotApi, tmp_path: Path) -> None:
    from dependency_injector import providers

    def broken(user_id, history=False):  # type: ignore[no-untyped-def]
        raise RuntimeError("database exploded")

    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            bot.container.get_usage.override(providers.Object(broken))
            await bot.send(IVAN, "/usage")
            location = {"latitude": 59.437, "longitude": 24.7536}  # photos are documents now: a location is not
            await bot.feed({"update_id": 99999, "message": {**bot._message(ANN), "location": location}})

    run(scenario())
    crashed, other = api.texts("sendMessage")
    assert crashed == "Извините, у меня что-то сломалось. Попробуйте ещё раз через минуту."
    assert other == "I cannot read this kind of message. Send a document or write a question."


def test_a_refused_file_is_explained_in_place_of_processing(api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            await bot.send_file(IVAN, "empty.pdf", b"")

    run(scenario())
    assert api.texts("editMessageText") == ["Файл пустой."]


def test_a_banned_user_is_told_once_across_bot_processes_sharing_redis(api: FakeBotApi, tmp_path: Path,
                                                                        redis_server_url: str,
                                                                        redis_prefix: str) -> None:
    import redis

    from application.use_cases.ensure_user import EnsureTelegramUserCommand
    from config.bootstrap import local_user
    from domain.users import UserStatus
    from entrypoints.bot.errors import BANNED_TOLD_TTL

    shared = {"redis_url": redis_server_url, "redis_prefix": redis_prefix, "queue_backend": "inline",
              "ratelimit_backend": "memory"}  # the cache (L1 per process + Redis) is what they share

    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path, **shared) as first, \
                BotHarness.create(api, tmp_path, **shared) as second:
            await first.send(ANN, "/start")
            user = first.container.ensure_user().telegram(EnsureTelegramUserCommand(telegram_id=ANN.id))
            first.container.set_status()(local_user(first.container).id, user.id, UserStatus.BANNED)
            await first.send(ANN, "/help")
            await second.send(ANN, "Hello?")
            await second.send(ANN, "/mydocs")
            await first.send(ANN, "/usage")

    run(scenario())
    assert api.texts("sendMessage")[1:] == [
        "Sorry, this account has been suspended. If you think this is a mistake, contact support."]
    client = redis.Redis.from_url(redis_server_url)
    assert 0 < client.ttl(f"{redis_prefix}cache:bot:banned-told:{ANN.id}") <= BANNED_TOLD_TTL
    client.close()


def test_a_failed_upload_leaves_the_previous_document_active(api: FakeBotApi, tmp_path: Path) -> None:
    """Issue 16: the failed upload became the active document, so the next question got
    "I could not read this document"."""
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            await upload_notes(bot, ANN)
            await bot.send_file(ANN, "broken.pdf", b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n", mime="application/pdf")
            api.wait_for(lambda text: text.startswith("❌ I could not read <b>broken.pdf</b>"), timeout=60)
            await bot.send(ANN, "When are invoices payable?")

    run(scenario())
    failed = next(text for text in api.texts() if text.startswith("❌"))
    assert failed.endswith("\nYour questions still go to <b>notes.md</b>.")
    answer = api.of("editMessageText")[-1].params["text"]
    assert "30 days" in answer and "could not read" not in answer


LONG_NOTES = ("# Delivery terms\n\n" + " ".join(
    f"Clause {n} sets out how the supplier packs, labels and ships goods of batch {n} to the depots."
    for n in range(1, 12)) + " Late deliveries are charged a penalty of 0.5% per day of delay.\n")
RUSSIAN = "# Условия\n\nЦена Контракта составляет 39 921 700,00 руб. Оплата производится в течение 30 дней.\n"


def test_a_cited_passage_is_shown_whole_and_russian_answers_have_a_russian_header(api: FakeBotApi,
                                                                                  tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            await bot.send_file(ANN, "terms.md", LONG_NOTES.encode(), mime="text/markdown")
            api.wait_for(lambda text: text.startswith("✅ <b>terms.md</b>"))
            await bot.send(ANN, "What is the penalty for late deliveries?")
            cite = api.of("editMessageText")[-1].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            await bot.press(ANN, cite)
            await bot.send_file(IVAN, "contract.md", RUSSIAN.encode(), mime="text/markdown")
            api.wait_for(lambda text: text.startswith("✅ <b>contract.md</b>"))
            await bot.send(IVAN, "Какова цена Контракта?")

    run(scenario())
    passage = next(t for t in api.texts("sendMessage") if t.startswith("<b>[1] "))
    assert "Clause 1 sets out" in passage and "0.5% per day of delay" in passage  # the start and the end
    assert len(passage) > 900
    russian = api.of("editMessageText")[-1].params["text"]
    assert "<b>Источники</b>" in russian and "Sources" not in russian
