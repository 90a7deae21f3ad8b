"""The Settings page's Telegram form (POST /settings/telegram) without a browser: the app in process
(TestClient, embedded profile). A link moves the bot's documents into the signed-in account; each
refusal says why in the page's language and changes nothing; the quota's says how many to delete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from application.use_cases.ensure_user import EnsureTelegramUserCommand
from application.use_cases.upload_document import UploadDocumentCommand
from config.container import Container
from domain.users import User
from entrypoints.api.app import create_app
from tests.e2e.test_web_session import web_container
from tests.e2e.test_web_settings_admin import account, csrf, sign_in, user_id

FORM = "/settings/telegram"


@pytest.fixture(scope="module")
def container(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    yield from web_container(tmp_path_factory.mktemp("web-telegram"))


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), raise_server_exceptions=False) as made:
        yield made


def bot_user(container: Container, telegram_id: int, documents: int = 0) -> User:
    user = container.ensure_user().telegram(EnsureTelegramUserCommand(telegram_id=telegram_id))
    for n in range(documents):
        upload(container, user, f"bot-{telegram_id}-{n}.txt")
    return user


def upload(container: Container, user: User, name: str) -> None:
    container.upload_document()(UploadDocumentCommand(user_id=user.id, filename=name,
                                                      data=f"The text of {name}.".encode()))


def library(client: TestClient) -> str:
    return client.get("/api/v1/documents", headers={"X-CSRF-Token": csrf(client)}).text


def test_the_bots_documents_appear_in_the_library_after_linking(client: TestClient, container: Container) -> None:
    telegram = bot_user(container, 515001, documents=2)
    token = sign_in(client, account(container))
    assert "bot-515001-0.txt" not in library(client)
    linked = client.post(FORM, data={"code": container.link_codes().issue(telegram.id), "csrf_token": token},
                         follow_redirects=False)
    assert linked.headers["location"] == "/settings?done=telegram_linked"
    assert "bot-515001-0.txt" in library(client) and "bot-515001-1.txt" in library(client)
    now = container.ensure_user().telegram(EnsureTelegramUserCommand(telegram_id=515001))  # the bot's next update
    same = client.post(FORM, data={"code": container.link_codes().issue(now.id), "csrf_token": token},
                       follow_redirects=False)  # /token now gives a code of this very account
    assert same.headers["location"] == "/settings?done=telegram_same"


def test_refusals_are_explained_in_english_and_russian(client: TestClient, container: Container) -> None:
    email = account(container)
    token = sign_in(client, email)
    first = bot_user(container, 515002)
    client.post(FORM, data={"code": container.link_codes().issue(first.id), "csrf_token": token})
    second = bot_user(container, 515003, documents=1)
    other = client.post(FORM, data={"code": container.link_codes().issue(second.id), "csrf_token": token},
                        follow_redirects=False)
    assert other.headers["location"] == "/settings?failed=telegram_other"
    assert "linked to another Telegram account already" in client.get(other.headers["location"]).text
    client.post("/settings/language", data={"language": "ru", "csrf_token": token})
    page = client.get(other.headers["location"]).text
    assert "уже связан с другим аккаунтом Telegram" in page
    web_id = user_id(container, email)
    with container.uow() as uow:
        assert uow.users.get(second.id) is not None and uow.users.get(web_id).telegram_id == 515002  # type: ignore[union-attr]
        assert uow.documents.count_for_owner(second.id) == 1


def test_a_telegram_account_with_a_password_is_not_merged(client: TestClient, container: Container) -> None:
    telegram = bot_user(container, 515004)
    container.change_password()(telegram.id, current_password=None, new_password="a long enough password")
    token = sign_in(client, account(container))
    refused = client.post(FORM, data={"code": container.link_codes().issue(telegram.id), "csrf_token": token},
                          follow_redirects=False)
    assert refused.headers["location"] == "/settings?failed=telegram_has_password"
    assert "has an email or password of its own" in client.get(refused.headers["location"]).text


def test_over_the_quota_the_page_says_how_many_to_delete(client: TestClient, container: Container) -> None:
    email = account(container)
    owner = user_id(container, email)
    with container.uow() as uow:
        web_user = uow.users.get(owner)
    assert web_user is not None
    for n in range(9):  # the free plan keeps 10
        upload(container, web_user, f"web-{n}.txt")
    telegram = bot_user(container, 515005, documents=3)
    token = sign_in(client, email)
    refused = client.post(FORM, data={"code": container.link_codes().issue(telegram.id), "csrf_token": token})
    assert refused.status_code == 409
    assert "hold 12 documents and your plan keeps up to 10: delete 2 first" in refused.text
    assert 'role="alert"' in refused.text and "{excess}" not in refused.text
    with container.uow() as uow:
        assert uow.documents.count_for_owner(owner) == 9 and uow.documents.count_for_owner(telegram.id) == 3
    crafted = client.get("/settings", params={"failed": "telegram_quota_refused"})
    assert "Together the two accounts" not in crafted.text  # the numbered text is never a flash name
