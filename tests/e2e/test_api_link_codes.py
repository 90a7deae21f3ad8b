"""A Telegram user's one-time code exchanged over HTTP for tokens of the same account (in-process ASGI)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from application.use_cases.ensure_user import EnsureTelegramUserCommand
from config.bootstrap import build_container
from entrypoints.api.app import create_app


def test_a_code_from_the_bot_gives_api_access_to_the_same_account_once(tmp_path: Path) -> None:
    container = build_container(home=tmp_path)
    telegram_user = container.ensure_user().telegram(EnsureTelegramUserCommand(telegram_id=777, username="tg_ann"))
    code = container.link_codes().issue(telegram_user.id)  # what /token in the bot does
    with TestClient(create_app(container)) as client:
        tokens = client.post("/api/v1/auth/telegram-code", json={"code": code})
        assert tokens.status_code == 200, tokens.text
        me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"})
        assert me.json()["telegram_id"] == 777 and me.json()["id"] == str(telegram_user.id)
        again = client.post("/api/v1/auth/telegram-code", json={"code": code})
        assert again.status_code == 401 and again.json()["code"] == "invalid_credentials"
    container.queue().shutdown()
    container.engine().dispose()
