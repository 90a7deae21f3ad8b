"""The Usage, Settings and Admin pages' form routes without a browser: the app in process
(TestClient, embedded profile). Every form needs the session's CSRF field and redirects back with
a flash message; the Admin page and its forms are a 404 for anyone but an administrator; a new
API key is shown once; a /token code links its Telegram account to the signed-in one."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from application.use_cases.ensure_user import EnsureTelegramUserCommand
from application.use_cases.register_user import RegisterUserCommand
from config.container import Container
from domain.users import Role, Tier, UserStatus
from entrypoints.api.app import create_app
from entrypoints.api.cookie_session import SESSION_COOKIE
from tests.e2e.conftest import wait_until
from tests.e2e.test_web_session import web_container

PASSWORD = "correct horse battery"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
NEW_KEY = re.compile(r'id="new-key-value"[^>]*value="(ak_[^"]+)"')


@pytest.fixture(scope="module")
def container(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    yield from web_container(tmp_path_factory.mktemp("web-pages"))


@pytest.fixture(scope="module")
def app(container: Container):  # type: ignore[no-untyped-def]
    return create_app(container)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as made:
        yield made


def account(container: Container, *, role: Role = Role.USER) -> str:
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    container.register_user()(RegisterUserCommand(email=email, password=PASSWORD, role=role))
    return email


def sign_in(client: TestClient, email: str) -> str:
    """Sign ``client`` in through the form; the session's CSRF token."""
    token = CSRF_FIELD.search(client.get("/signin").text).group(1)  # type: ignore[union-attr]
    answer = client.post("/signin", data={"email": email, "password": PASSWORD, "csrf_token": token},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return csrf(client)


def csrf(client: TestClient, path: str = "/settings") -> str:
    return CSRF_FIELD.search(client.get(path).text).group(1)  # type: ignore[union-attr]


def user_id(container: Container, email: str) -> uuid.UUID:
    with container.uow() as uow:
        found = uow.users.get_by_email(email)
    assert found is not None
    return found.id


def key_names(container: Container, email: str) -> list[str]:
    return [k.name for k in container.api_keys().list(user_id(container, email))]


def test_signed_out_the_pages_send_you_to_sign_in(client: TestClient) -> None:
    for path in ("/usage", "/settings", "/admin"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == f"/signin?next={path}"


def test_every_form_needs_the_sessions_csrf_field(client: TestClient, container: Container) -> None:
    admin = account(container, role=Role.ADMIN)
    target = account(container)
    target_id = user_id(container, target)
    sign_in(client, admin)
    key = container.api_keys().create(user_id(container, admin), "kept")
    forms = [("/settings/language", {"language": "ru"}), ("/settings/api-keys", {"name": "sneaky"}),
             (f"/settings/api-keys/{key.api_key.id}/revoke", {}), ("/settings/telegram", {"code": "ABCDEFGHJK"}),
             (f"/admin/users/{target_id}/tier", {"tier": "enterprise"}), (f"/admin/users/{target_id}/ban", {})]
    for path, fields in forms:
        for token in (None, "0" * 64):
            data = fields | ({"csrf_token": token} if token else {})
            answer = client.post(path, data=data, follow_redirects=False)
            assert answer.status_code == 403 and "<html" in answer.text, (path, token)
    with container.uow() as uow:
        admin_user, target_user = uow.users.get_by_email(admin), uow.users.get_by_email(target)
    assert admin_user is not None and admin_user.language == "en"
    assert target_user is not None and (target_user.tier, target_user.status) == (Tier.FREE, UserStatus.ACTIVE)
    assert key_names(container, admin) == ["kept"]
    assert container.api_keys().list(user_id(container, admin))[0].is_active


def test_the_language_is_saved_and_the_page_speaks_it_at_once(client: TestClient, container: Container) -> None:
    email = account(container)
    token = sign_in(client, email)
    answer = client.post("/settings/language", data={"language": "ru", "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/settings?done=language"
    page = client.get(answer.headers["location"])
    assert '<html lang="ru">' in page.text and "Язык сохранён." in page.text and "<h1>Настройки</h1>" in page.text
    with container.uow() as uow:
        assert uow.users.get_by_email(email).language == "ru"  # type: ignore[union-attr]
    wrong = client.post("/settings/language", data={"language": "de", "csrf_token": token}, follow_redirects=False)
    assert wrong.headers["location"] == "/settings?failed=language"
    assert "Выберите один из предложенных языков." in client.get(wrong.headers["location"]).text


def test_a_new_key_is_shown_once_and_works_until_revoked(client: TestClient, container: Container) -> None:
    email = account(container)
    token = sign_in(client, email)
    created = client.post("/settings/api-keys", data={"name": "  CI   server ", "csrf_token": token},
                          follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/settings?done=key_created"
    shown = client.get("/settings?done=key_created")
    found = NEW_KEY.search(shown.text)
    assert found and 'Key "CI server" created.' in shown.text.replace("&#34;", '"')
    key = found.group(1)
    assert "ak_" not in client.get("/settings?done=key_created").text.split('id="api-keys"')[0]  # once only
    with TestClient(client.app) as program:
        assert program.get("/api/v1/users/me", headers={"X-API-Key": key}).json()["email"] == email
        key_id = container.api_keys().list(user_id(container, email))[0].id
        confirm = client.get(f"/settings/api-keys/{key_id}/revoke")
        assert confirm.status_code == 200 and "Revoke the key" in confirm.text
        revoked = client.post(f"/settings/api-keys/{key_id}/revoke", data={"csrf_token": token},
                              follow_redirects=False)
        assert revoked.headers["location"] == "/settings?done=key_revoked"
        assert "The API key has been revoked." in client.get(revoked.headers["location"]).text
        refused = program.get("/api/v1/users/me", headers={"X-API-Key": key})
        assert refused.status_code == 401 and refused.json()["code"] == "invalid_credentials"


def test_a_key_needs_a_name_and_another_users_key_is_not_revoked(client: TestClient, container: Container) -> None:
    other = account(container)
    theirs = container.api_keys().create(user_id(container, other), "theirs")
    email = account(container)
    token = sign_in(client, email)
    blank = client.post("/settings/api-keys", data={"name": "   ", "csrf_token": token}, follow_redirects=False)
    assert blank.headers["location"] == "/settings?failed=key_name" and key_names(container, email) == []
    assert client.get(f"/settings/api-keys/{theirs.api_key.id}/revoke", follow_redirects=False
                      ).headers["location"] == "/settings"
    answer = client.post(f"/settings/api-keys/{theirs.api_key.id}/revoke", data={"csrf_token": token})
    assert answer.status_code == 404 and "Page not found" in answer.text
    assert container.api_keys().list(user_id(container, other))[0].is_active


def test_a_flash_shows_only_catalog_messages(client: TestClient, container: Container) -> None:
    sign_in(client, account(container))
    crafted = client.get("/settings", params={"done": "<script>alert(1)</script>", "failed": "nope"})
    assert crafted.status_code == 200 and "<script>alert" not in crafted.text and 'role="alert"' not in crafted.text
    assert "The API key has been revoked." in client.get("/settings?done=key_revoked").text


def test_a_telegram_code_links_the_telegram_account_to_this_one(client: TestClient, container: Container) -> None:
    """More cases (refusals, the quota) in test_web_telegram_link.py."""
    telegram = container.ensure_user().telegram(EnsureTelegramUserCommand(telegram_id=424242, username="tg_ann"))
    email = account(container)
    token = sign_in(client, email)
    before = client.cookies.get(SESSION_COOKIE)
    wrong = client.post("/settings/telegram", data={"code": "ABCDEFGHJK", "csrf_token": token}, follow_redirects=False)
    assert wrong.headers["location"] == "/settings?failed=telegram_code"
    assert "Ask the bot for a new one with /token." in client.get(wrong.headers["location"]).text
    code = container.link_codes().issue(telegram.id)
    linked = client.post("/settings/telegram", data={"code": f"{code[:5]}-{code[5:].lower()}", "csrf_token": token},
                         follow_redirects=False)
    assert linked.headers["location"] == "/settings?done=telegram_linked"
    page = client.get(linked.headers["location"])
    assert "Your Telegram account is linked" in page.text and "This account is your Telegram account" in page.text
    assert client.cookies.get(SESSION_COOKIE) == before  # the same account, the same session
    with container.uow() as uow:
        assert uow.users.get(telegram.id) is None
        assert uow.users.get_by_telegram_id(424242).email == email  # type: ignore[union-attr]
    again = client.post("/settings/telegram", data={"code": code, "csrf_token": csrf(client)}, follow_redirects=False)
    assert again.headers["location"] == "/settings?failed=telegram_code"  # a code works once


def test_the_admin_page_is_a_404_for_anyone_but_an_administrator(client: TestClient, container: Container) -> None:
    target = user_id(container, account(container))
    token = sign_in(client, account(container))
    page = client.get("/admin")
    assert page.status_code == 404 and "Page not found" in page.text and 'href="/admin"' not in page.text
    for path, fields in ((f"/admin/users/{target}/ban", {}), (f"/admin/users/{target}/tier", {"tier": "premium"})):
        answer = client.post(path, data=fields | {"csrf_token": token})
        assert answer.status_code == 404 and "Page not found" in answer.text
        assert client.get(path).status_code == 404
    with container.uow() as uow:
        assert uow.users.get(target).status is UserStatus.ACTIVE  # type: ignore[union-attr]


def test_an_administrator_searches_changes_tiers_and_bans(client: TestClient, container: Container) -> None:
    admin = account(container, role=Role.ADMIN)
    dave = account(container)
    dave_id = user_id(container, dave)
    sign_in(client, admin)
    listed = client.get("/admin", params={"email": dave[:6].upper()})
    assert listed.status_code == 200 and listed.text.count('data-user-id="') == 1 and dave in listed.text
    token = CSRF_FIELD.search(listed.text).group(1)  # type: ignore[union-attr]
    back = f"/admin?email={dave[:6]}&days=7"
    tier = client.post(f"/admin/users/{dave_id}/tier", data={"tier": "premium", "csrf_token": token, "back": back},
                       follow_redirects=False)
    assert tier.headers["location"] == back + "&done=tier"
    assert "The plan has been changed." in client.get(tier.headers["location"]).text
    assert client.post(f"/admin/users/{dave_id}/tier", data={"tier": "gold", "csrf_token": token},
                       follow_redirects=False).headers["location"] == "/admin?failed=tier"
    assert client.get(f"/admin/users/{dave_id}/ban").status_code == 200  # the confirmation page
    banned = client.post(f"/admin/users/{dave_id}/ban", data={"csrf_token": token,
                                                              "back": "https://evil.example/admin"},
                         follow_redirects=False)
    assert banned.headers["location"] == "/admin?done=banned"  # never back to another site
    with container.uow() as uow:
        user = uow.users.get(dave_id)
    assert user is not None and (user.tier, user.status) == (Tier.PREMIUM, UserStatus.BANNED)
    with TestClient(client.app, raise_server_exceptions=False) as theirs:
        token_theirs = CSRF_FIELD.search(theirs.get("/signin").text).group(1)  # type: ignore[union-attr]
        refused = theirs.post("/signin", data={"email": dave, "password": PASSWORD, "csrf_token": token_theirs})
        assert refused.status_code in (401, 403) and "Library" not in refused.text.split("<main")[1]
    self_ban = client.post(f"/admin/users/{user_id(container, admin)}/ban", data={"csrf_token": token},
                           follow_redirects=False)
    assert self_ban.headers["location"] == "/admin?failed=ban_self"
    unbanned = client.post(f"/admin/users/{dave_id}/unban", data={"csrf_token": token}, follow_redirects=False)
    assert unbanned.headers["location"] == "/admin?done=unbanned"
    with container.uow() as uow:
        assert uow.users.get(dave_id).status is UserStatus.ACTIVE  # type: ignore[union-attr]


def test_the_usage_page_has_the_api_figures(client: TestClient, container: Container) -> None:
    token = sign_in(client, account(container))
    headers = {"X-CSRF-Token": token}
    document = client.post("/api/v1/documents", files={"file": ("terms.md", b"# Terms\nInvoices are payable "
                                                                            b"within 30 days of receipt.\n")},
                           headers=headers).json()
    assert wait_until(lambda: client.get(f"/api/v1/documents/{document['id']}").json()["status"] == "completed")
    for question in ("When are invoices payable?", "How many days to pay?"):
        answer = client.post(f"/api/v1/documents/{document['id']}/query", json={"question": question},
                             headers=headers)
        assert answer.status_code == 200, answer.text
    api = client.get("/api/v1/usage").json()
    assert [w["used"] for w in api["windows"]] == [2, 2, 2]
    page = client.get("/usage").text
    for window in api["windows"]:
        row = re.search(rf'<tr data-window="{window["window"]}">(.*?)</tr>', page, re.S)
        assert row, window
        cells = dict(re.findall(r'data-field="(\w+)"[^>]*>([^<]*)<', row.group(1)))
        assert (int(cells["remaining"]), int(cells["used"]), int(cells["limit"])) == (
            window["remaining"], window["used"], window["limit"])
    assert f"{api['documents']['used']} of {api['documents']['allowed']} documents" in page
    today = api["daily"][-1]
    row = re.search(rf'<tr data-day="{today["day"]}">(.*?)</tr>', page, re.S)
    assert row and re.findall(r"<td>([^<]*)</td>", row.group(1))[:3] == [
        str(today["questions"]), str(today["tokens_in"]), str(today["tokens_out"])]
    assert page.count('<svg class="chart"') == 2 and "No questions in this period" not in page
