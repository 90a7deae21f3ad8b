"""Linking a Telegram account to a web account over HTTP (POST /api/v1/auth/telegram-link): a real
`assistant serve` and the real bot (BotHarness) on one home, so they share the database and the
state file that holds the /token codes. After linking, what was sent to the bot is the web
account's, and the bot's next question is asked as the web account; refusals change nothing."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.api_server import PROBLEM, Server, run_server
from tests.e2e.bot_api_server import FakeBotApi
from tests.e2e.bot_harness import BotHarness, Person
from tests.e2e.conftest import NOTES

CODE = re.compile(r"<code>([A-Z0-9]{10})</code>")
LINK = "/api/v1/auth/telegram-link"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from run_server(tmp_path_factory.mktemp("telegram-link"))


def run(coroutine) -> None:  # type: ignore[no-untyped-def]
    asyncio.run(coroutine)


async def token_code(bot: BotHarness, person: Person) -> str:
    await bot.send(person, "/token")
    found = CODE.search(bot.api.texts("sendMessage")[-1])
    assert found is not None, bot.api.texts("sendMessage")[-1]
    return found.group(1)


def titles(client: httpx.Client) -> list[str]:
    return [d["filename"] for d in client.get("/api/v1/documents").json()["items"]]


def test_after_linking_the_bots_documents_are_the_web_accounts_and_the_bot_asks_as_it(
        api: FakeBotApi, server: Server) -> None:
    ann = Person(id=7101, first_name="Ann")
    web = server.register()
    me = web.get("/api/v1/users/me").json()
    answers: dict[str, str] = {}

    async def scenario() -> None:
        async with BotHarness.create(api, server.home) as bot:
            await bot.send_file(ann, "notes.md", NOTES.encode(), mime="text/markdown")
            api.wait_for(lambda text: text.startswith("✅ <b>notes.md</b>"))
            await bot.send(ann, "Where is the office?")
            code = await token_code(bot, ann)
            assert titles(web) == []
            linked = web.post(LINK, json={"code": code})
            assert linked.status_code == 200, linked.text
            answers["linked"] = linked.text
            body = linked.json()
            assert body["linked"] is True and body["user"]["id"] == me["id"] and body["user"]["telegram_id"] == ann.id
            assert body["moved"]["documents"] == 1 and body["moved"]["conversations"] == 1
            assert web.post(LINK, json={"code": code}).json()["code"] == "invalid_credentials"  # spent
            await bot.send(ann, "When are invoices payable?")
            answers["bot"] = api.of("editMessageText")[-1].params["text"]
            await bot.send(ann, "/mydocs")
            answers["mydocs"] = api.texts("sendMessage")[-1]

    run(scenario())
    assert titles(web) == ["notes.md"]
    assert "30 days" in answers["bot"]
    assert "notes.md" in answers["mydocs"]
    asked = [c["question"] for c in web.get("/api/v1/conversations").json()]
    assert asked == ["When are invoices payable?", "Where is the office?"]  # both are the web account's now
    account = web.get("/api/v1/users/me").json()
    assert account["telegram_id"] == ann.id and account["email"] == me["email"]


def test_refusals_say_why_and_change_nothing(api: FakeBotApi, server: Server) -> None:
    bob, eve, zoe = Person(id=7201, first_name="Bob"), Person(id=7202, first_name="Eve"), Person(id=7203)
    web = server.register()
    replies: dict[str, httpx.Response] = {}
    eve_docs: list[str] = []

    async def scenario() -> None:
        async with BotHarness.create(api, server.home) as bot:
            assert web.post(LINK, json={"code": await token_code(bot, bob)}).status_code == 200
            await bot.send_file(eve, "notes.md", NOTES.encode(), mime="text/markdown")
            api.wait_for(lambda text: text.startswith("✅ <b>notes.md</b>"))
            replies["second"] = web.post(LINK, json={"code": await token_code(bot, eve)})
            # Zoe gives herself a password through the API (tokens from a code), then is not merged
            with server.client() as anonymous:
                tokens = anonymous.post("/api/v1/auth/telegram-code", json={"code": await token_code(bot, zoe)}).json()
            with server.client(tokens["access_token"]) as zoe_api:
                assert zoe_api.post("/api/v1/auth/password", json={"new_password": "zoe's long password"}
                                    ).status_code == 200
            other = server.register()
            replies["password"] = other.post(LINK, json={"code": await token_code(bot, zoe)})
            key = web.post("/api/v1/api-keys", json={"name": "script"}).json()["key"]
            with server.client() as by_key:
                replies["api_key"] = by_key.post(LINK, json={"code": await token_code(bot, eve)},
                                                 headers={"X-API-Key": key})
            with server.client() as anonymous:
                replies["anonymous"] = anonymous.post(LINK, json={"code": "ABCDEFGHJK"})
            replies["garbage"] = web.post(LINK, json={"code": "x"})
            await bot.send(eve, "/mydocs")
            eve_docs.append(api.texts("sendMessage")[-1])

    run(scenario())
    second = replies["second"]
    assert second.status_code == 409 and second.headers["content-type"].startswith(PROBLEM)
    assert second.json()["code"] == "link_refused" and second.json()["reason"] == "other_telegram"
    password = replies["password"].json()
    assert replies["password"].status_code == 409 and password["reason"] == "has_credentials"
    assert "are not merged" in password["detail"]
    assert replies["api_key"].status_code == 403 and replies["anonymous"].status_code == 401
    assert replies["garbage"].status_code == 422
    assert "notes.md" in eve_docs[0]  # Eve's document stayed hers
    assert web.get("/api/v1/users/me").json()["telegram_id"] == bob.id and titles(web) == []
    for response in replies.values():
        assert "Traceback" not in response.text
