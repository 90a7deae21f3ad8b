"""Webhook mode: ``assistant serve`` with ASSISTANT_TELEGRAM_WEBHOOK_URL sets the webhook on the (fake)
Bot API server, serves POST /telegram/webhook with the secret token checked, and the real PTB
Application answers the updates; ``assistant bot`` then refuses to poll. Settings are validated."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import httpx
import pytest

from config.errors import ConfigError
from config.settings import load_settings
from tests.e2e.api_server import PROBLEM, free_port, run_server
from tests.e2e.bot_api_server import FakeBotApi, running_bot_api
from tests.e2e.conftest import Cli, wait_until

SECRET = "s3cret_token-42"
PUBLIC = "https://bot.example.com"


def webhook_env(api: FakeBotApi) -> dict[str, str]:
    return {"ASSISTANT_TELEGRAM_TOKEN": api.token, "ASSISTANT_TELEGRAM_API_BASE_URL": api.url,
            "ASSISTANT_TELEGRAM_WEBHOOK_URL": PUBLIC, "ASSISTANT_TELEGRAM_WEBHOOK_SECRET": SECRET}


def start_update(update_id: int, text: str = "/start") -> dict[str, object]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        "from": {"id": 77, "is_bot": False, "first_name": "Eve", "language_code": "en"},
        "chat": {"id": 77, "type": "private"}}}


@pytest.mark.parametrize(("env", "named"), [
    ({"ASSISTANT_TELEGRAM_WEBHOOK_URL": PUBLIC}, "ASSISTANT_TELEGRAM_WEBHOOK_SECRET is required"),
    ({"ASSISTANT_TELEGRAM_WEBHOOK_URL": PUBLIC, "ASSISTANT_TELEGRAM_WEBHOOK_SECRET": "has space"},
     "ASSISTANT_TELEGRAM_WEBHOOK_SECRET"),
    ({"ASSISTANT_TELEGRAM_WEBHOOK_URL": PUBLIC, "ASSISTANT_TELEGRAM_WEBHOOK_SECRET": "x" * 257},
     "1-256 characters"),
    ({"ASSISTANT_TELEGRAM_WEBHOOK_URL": "bot.example.com", "ASSISTANT_TELEGRAM_WEBHOOK_SECRET": SECRET},
     "ASSISTANT_TELEGRAM_WEBHOOK_URL must be an http(s) URL"),
    ({"ASSISTANT_TELEGRAM_WEBHOOK_URL": f"{PUBLIC}/?a=1", "ASSISTANT_TELEGRAM_WEBHOOK_SECRET": SECRET},
     "ASSISTANT_TELEGRAM_WEBHOOK_URL"),
])
def test_a_bad_webhook_configuration_is_one_line_naming_the_setting(
        isolated_settings: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], named: str) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert named in error.value.message and "\n" not in error.value.message and "has space" not in error.value.message


def test_a_good_webhook_configuration_loads(isolated_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TELEGRAM_WEBHOOK_URL", f"{PUBLIC}/")
    monkeypatch.setenv("ASSISTANT_TELEGRAM_WEBHOOK_SECRET", "A" * 256)
    settings = load_settings()
    assert settings.telegram_webhook_url == f"{PUBLIC}/" and settings.telegram_webhook_secret is not None
    monkeypatch.setenv("ASSISTANT_TELEGRAM_WEBHOOK_URL", "")  # an empty value in .env means "not set"
    assert not load_settings().telegram_webhook_url
    from entrypoints.bot.webhook import endpoint

    assert endpoint(f"{PUBLIC}/") == endpoint(f"{PUBLIC}/telegram/webhook") == f"{PUBLIC}/telegram/webhook"
    assert endpoint("https://example.com/assistant") == "https://example.com/assistant/telegram/webhook"


def test_the_bot_command_leaves_a_configured_webhook_to_the_api(cli: Cli, api: FakeBotApi) -> None:
    cli.env.update(webhook_env(api))
    quiet = cli("bot", "--if-configured")  # `make run` beside `assistant serve`
    assert quiet.code == 0 and "served by the API by webhook" in quiet.out and quiet.err == ""
    refused = cli("bot")
    assert refused.code == 78 and "ASSISTANT_TELEGRAM_WEBHOOK_URL is set" in refused.err
    assert "Traceback" not in refused.err
    assert not api.calls  # neither polled nor deleted the webhook


def test_the_api_sets_the_webhook_checks_the_secret_and_the_bot_answers(api: FakeBotApi, tmp_path: Path) -> None:
    env = {**webhook_env(api), "ASSISTANT_LOG_LEVEL": "INFO"}
    with contextlib.contextmanager(run_server)(tmp_path, env) as server:
        assert wait_until(lambda: bool(api.of("setWebhook")))
        [hook] = api.of("setWebhook")
        assert hook.params["url"] == f"{PUBLIC}/telegram/webhook" and hook.params["secret_token"] == SECRET
        assert {"message", "callback_query", "edited_message"} <= set(hook.params["allowed_updates"])
        assert {c.params.get("language_code") for c in api.of("setMyCommands")} == {None, "ru"}
        with server.client() as client:
            _check_refusals(client)
            good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            accepted = client.post("/telegram/webhook", json=start_update(1), headers=good)
            assert (accepted.status_code, accepted.content) == (200, b"")
            api.wait_for(lambda text: text.startswith("👋 Hello, Eve!"), timeout=30)
            assert "/telegram/webhook" not in client.get("/openapi.json").json()["paths"]
    log = (tmp_path / "server.log").read_text()
    assert "bot_webhook_stopped" in log and "Traceback" not in log, log
    assert not api.of("deleteWebhook") and not api.of("getUpdates")


def _check_refusals(client: httpx.Client) -> None:
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                    {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"}):
        refused = client.post("/telegram/webhook", json=start_update(9), headers=headers)
        assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
        assert refused.json()["code"] == "permission_denied"
    good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    for body in (b"{not json", b"\xff\xfe", b"[]", b'{"update_id": "one"}', b'{"message": {}}'):
        bad = client.post("/telegram/webhook", content=body, headers={**good, "content-type": "application/json"})
        assert bad.status_code == 400 and bad.headers["content-type"] == PROBLEM, body
        assert bad.json()["code"] == "invalid_input"


def test_the_api_starts_while_telegram_is_unreachable_and_catches_up(tmp_path: Path) -> None:
    port = free_port()
    env = {**webhook_env(FakeBotApi(url=f"http://127.0.0.1:{port}")), "ASSISTANT_LOG_LEVEL": "INFO"}
    with contextlib.contextmanager(run_server)(tmp_path, env) as server, server.client() as client:
        early = client.post("/telegram/webhook", json=start_update(1),
                            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert early.status_code == 200  # queued until the bot is up
        log = tmp_path / "server.log"  # the start-up failed once and is being retried
        assert wait_until(lambda: "bot_webhook_start_retry" in log.read_text(), 30)
        assert client.get("/healthz").status_code == 200
        with running_bot_api(port) as api:
            api.wait_for(lambda text: text.startswith("👋 Hello, Eve!"), timeout=30)
            assert api.of("setWebhook")
    assert "bot_webhook_start_retry" in (tmp_path / "server.log").read_text()


def test_a_token_telegram_refuses_is_logged_and_updates_get_503(api: FakeBotApi, tmp_path: Path) -> None:
    env = {**webhook_env(api), "ASSISTANT_TELEGRAM_TOKEN": "999:REVOKED", "ASSISTANT_LOG_LEVEL": "INFO"}
    log = tmp_path / "server.log"
    with contextlib.contextmanager(run_server)(tmp_path, env) as server, server.client() as client:
        assert wait_until(lambda: "bot_webhook_start_failed" in log.read_text())
        response = client.post("/telegram/webhook", json=start_update(1),
                               headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert response.status_code == 503 and response.headers["retry-after"] == "60"
        assert response.json()["code"] == "service_unavailable"  # Telegram keeps the update and retries
    assert "Traceback" not in log.read_text() and "REVOKED" not in log.read_text()  # nor the token


def test_without_a_webhook_url_the_route_does_not_exist(api: FakeBotApi, tmp_path: Path) -> None:
    env = {"ASSISTANT_TELEGRAM_TOKEN": api.token, "ASSISTANT_TELEGRAM_API_BASE_URL": api.url}
    with contextlib.contextmanager(run_server)(tmp_path, env) as server, server.client() as client:
        response = client.post("/telegram/webhook", json=start_update(1),
                               headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert response.status_code == 404
    assert not api.calls  # the API process does not touch the Bot API when the bot polls elsewhere

