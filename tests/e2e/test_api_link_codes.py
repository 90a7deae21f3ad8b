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


def test_a_question_about_a_document_still_processing_is_409_not_ready(tmp_path: Path) -> None:
    """A domain error's details never clash with the problem document's own members."""
    container = build_container(home=tmp_path)
    container.queue().shutdown()  # nothing processes: the document stays pending
    with TestClient(create_app(container)) as client:
        client.post("/api/v1/auth/register", json={"email": "p@example.com", "password": "x" * 10})
        token = client.post("/api/v1/auth/login", json={"email": "p@example.com", "password": "x" * 10}
                            ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        doc = client.post("/api/v1/documents", headers=auth, files={"file": ("t.md", b"# T\n\nText.")}).json()["id"]
        response = client.post(f"/api/v1/documents/{doc}/query", headers=auth, json={"question": "What?"})
    assert response.status_code == 409
    assert response.json()["status"] == 409 and response.json()["code"] == "document_not_ready"
    assert response.json()["document_status"] == "pending"
    container.engine().dispose()
