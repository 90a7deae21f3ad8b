"""The dashboard's session cookie and CSRF rules without a browser: the app in process (TestClient),
the embedded profile. What a browser adds (the cookie jar, SameSite, scripts) is in tests/browser."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from dependency_injector import providers
from starlette.testclient import TestClient

from config.bootstrap import build_container, local_user
from config.container import Container
from domain.users import UserStatus
from entrypoints.api.app import create_app
from entrypoints.api.cookie_session import SESSION_COOKIE

PASSWORD = "correct horse battery"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGE_CSRF = re.compile(r'"csrf": "([^"]+)"')


def web_container(home: Path) -> Iterator[Container]:
    """The embedded profile's container with the in-process queue, cache and rate limiter (the web
    tests' app runs in process), closed once the module is done."""
    made = build_container(home=home, queue_backend="inline", cache_backend="memory", ratelimit_backend="memory")
    yield made
    made.queue().shutdown()
    made.engine().dispose()


@pytest.fixture(scope="module")
def container(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    yield from web_container(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), raise_server_exceptions=False) as made:
        yield made


@pytest.fixture(autouse=True)
def no_cookies(client: TestClient) -> None:
    client.cookies.clear()


def form_token(client: TestClient, path: str) -> str:
    page = client.get(path)
    found = CSRF_FIELD.search(page.text)
    assert found, page.text
    return found.group(1)


def sign_up(client: TestClient, email: str | None = None) -> str:
    """A new account through the register form (the client holds its session cookie)."""
    email = email or f"{uuid.uuid4().hex[:10]}@example.com"
    token = form_token(client, "/register")
    answer = client.post("/register", data={"email": email, "password": PASSWORD, "csrf_token": token},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/", answer.text
    return email


def page_csrf(client: TestClient) -> str:
    found = PAGE_CSRF.search(client.get("/").text)
    assert found
    return found.group(1)


def test_the_cookie_is_http_only_lax_and_secure_only_behind_https(client: TestClient, tmp_path: Path) -> None:
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    token = form_token(client, "/register")
    answer = client.post("/register", data={"email": email, "password": PASSWORD, "csrf_token": token},
                         follow_redirects=False)
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie and "Secure" not in cookie
    behind_https = build_container(home=tmp_path, public_url="https://assistant.example.com")
    with TestClient(create_app(behind_https), base_url="https://testserver") as secure:
        token = form_token(secure, "/signin")
        signed_in = secure.post("/signin", data={"email": email, "password": PASSWORD, "csrf_token": token},
                                follow_redirects=False)
    assert signed_in.status_code == 401  # another database: no such account; the forms' cookie is Secure
    assert all("Secure" in v for k, v in signed_in.headers.multi_items() if k == "set-cookie")
    behind_https.engine().dispose()


def test_the_cookie_authenticates_the_api_and_unsafe_methods_need_the_csrf_header(client: TestClient) -> None:
    email = sign_up(client)
    me = client.get("/api/v1/users/me")
    assert me.status_code == 200 and me.json()["email"] == email
    upload = {"file": ("notes.md", b"# Notes\n\nThe office opens at 9.")}
    refused = client.post("/api/v1/documents", files=upload)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    assert refused.headers["content-type"].startswith("application/problem+json")
    wrong = client.post("/api/v1/documents", files=upload, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403 and wrong.json()["code"] == "csrf_failed"
    assert client.get("/api/v1/documents").json()["items"] == []  # nothing was stored
    accepted = client.post("/api/v1/documents", files=upload, headers={"X-CSRF-Token": page_csrf(client)})
    assert accepted.status_code == 202, accepted.text
    document_id = accepted.json()["id"]
    assert client.delete(f"/api/v1/documents/{document_id}").json()["code"] == "csrf_failed"
    assert client.delete(f"/api/v1/documents/{document_id}",
                         headers={"X-CSRF-Token": page_csrf(client)}).status_code == 204


def test_a_bearer_token_needs_no_csrf_token_even_beside_a_cookie(client: TestClient) -> None:
    email = sign_up(client)
    tokens = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()
    answer = client.post("/api/v1/documents", files={"file": ("a.md", b"# A\n\nText.")},
                         headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert answer.status_code == 202  # not an ambient credential: no CSRF token asked


def test_one_users_csrf_token_does_not_open_another_session(client: TestClient) -> None:
    sign_up(client)
    theirs = page_csrf(client)
    client.cookies.clear()
    sign_up(client)
    answer = client.post("/api/v1/documents", files={"file": ("a.md", b"# A\n\nText.")}, headers={"X-CSRF-Token": theirs})
    assert answer.status_code == 403 and answer.json()["code"] == "csrf_failed"


def test_page_forms_need_their_csrf_field(client: TestClient) -> None:
    sign_up(client)
    refused = client.post("/signout", data={}, follow_redirects=False)
    assert refused.status_code == 403 and "<html" in refused.text and "csrf_token" in refused.text
    assert client.get("/api/v1/users/me").status_code == 200  # still signed in
    signed_out = client.post("/signout", data={"csrf_token": page_csrf(client)}, follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/signin?out=1"
    assert client.get("/", follow_redirects=False).headers["location"] == "/signin"


def test_the_sign_in_form_needs_its_pre_session_token(client: TestClient, container: Container) -> None:
    email = sign_up(client)
    client.cookies.clear()
    no_cookie = client.post("/signin", data={"email": email, "password": PASSWORD, "csrf_token": "x.y"},
                            follow_redirects=False)
    assert no_cookie.status_code == 403 and "This form has expired" in no_cookie.text
    token = form_token(client, "/signin")
    forged = client.post("/signin", data={"email": email, "password": PASSWORD, "csrf_token": token + "0"},
                         follow_redirects=False)
    assert forged.status_code == 403
    client.cookies.set("assistant_csrf", "abc.def")  # a cookie planted by someone else: not signed by us
    planted = client.post("/signin", data={"email": email, "password": PASSWORD, "csrf_token": "abc.def"},
                          follow_redirects=False)
    assert planted.status_code == 403
    token = form_token(client, "/signin")
    good = client.post("/signin", data={"email": email, "password": PASSWORD, "csrf_token": token,
                                        "next": "//evil.example.com/"}, follow_redirects=False)
    assert good.status_code == 303 and good.headers["location"] == "/"  # never an open redirect


def test_an_ended_session_is_refused_and_its_cookie_cleared(client: TestClient) -> None:
    email = sign_up(client)
    stolen = client.cookies[SESSION_COOKIE]
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": page_csrf(client)}).status_code == 204
    ended = client.get("/api/v1/users/me")
    assert ended.status_code == 401 and ended.json()["code"] == "session_ended"
    page = client.get("/documents/" + str(uuid.uuid4()), follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin?next=")
    assert "ended=1" in page.headers["location"]
    assert any(v.startswith(f'{SESSION_COOKIE}=""') for k, v in page.headers.multi_items() if k == "set-cookie")
    client.cookies.clear()

    token = form_token(client, "/signin")  # a new session, then the password changes elsewhere
    client.post("/signin", data={"email": email, "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
    stolen = client.cookies[SESSION_COOKIE]
    tokens = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()
    changed = client.post("/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": "a new password"},
                          headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert changed.status_code == 200
    client.cookies.set(SESSION_COOKIE, stolen)
    assert client.get("/api/v1/users/me").json()["code"] == "session_ended"


def test_another_kind_of_token_in_the_cookie_is_refused(client: TestClient) -> None:
    email = sign_up(client)
    client.cookies.clear()
    tokens = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()
    client.cookies.set(SESSION_COOKIE, tokens["access_token"])
    answer = client.get("/api/v1/users/me")
    assert answer.status_code == 401 and answer.json()["code"] == "invalid_credentials"
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/signin")


def test_pages_have_their_policy_and_the_api_keeps_its_own(client: TestClient) -> None:
    page = client.get("/signin")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and page.headers["cache-control"] == "no-store"
    assert "<script>" not in page.text and " style=" not in page.text  # nothing inline for the policy to allow
    assert client.get("/healthz").headers["content-security-policy"].startswith("default-src 'none'")


def test_hashed_static_addresses_are_cached_and_imported_modules_revalidated(client: TestClient) -> None:
    linked = re.search(r'"(/static/[a-z_/]+\.css\?v=[0-9a-f]{12})"', client.get("/signin").text)
    assert linked, "the page links its style sheet by a hashed address"
    assert client.get(linked.group(1)).headers["cache-control"] == "public, max-age=31536000, immutable"
    imported = client.get("/static/js/api.js")  # what a module imports: no hash in the address
    assert imported.status_code == 200 and imported.headers["cache-control"] == "no-cache"
    again = client.get("/static/js/api.js", headers={"If-None-Match": imported.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == "no-cache"


def test_unknown_addresses_and_other_users_documents_are_the_same_404_page(client: TestClient) -> None:
    sign_up(client)
    document_id = client.post("/api/v1/documents", files={"file": ("mine.md", b"# Mine\n\nText.")},
                              headers={"X-CSRF-Token": page_csrf(client)}).json()["id"]
    assert client.get(f"/documents/{document_id}").status_code == 200
    client.cookies.clear()
    sign_up(client)
    theirs = client.get(f"/documents/{document_id}")
    unknown = client.get("/no/such/page")
    malformed = client.get("/documents/not-a-uuid")
    assert theirs.status_code == unknown.status_code == malformed.status_code == 404
    assert "Page not found" in theirs.text and "mine.md" not in theirs.text
    assert _main(theirs.text) == _main(unknown.text) == _main(malformed.text)
    assert client.get(f"/documents/{document_id}/delete").status_code == 404
    api = client.get("/api/v1/no-such-route")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")


def _main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def test_a_crash_is_a_500_page_without_a_trace(client: TestClient, container: Container) -> None:
    sign_up(client)

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret internal detail at 10.1.2.3:5432")

    with container.get_usage.override(providers.Object(broken)):
        answer = client.get("/")
    assert answer.status_code == 500 and "Something went wrong" in answer.text
    assert "10.1.2.3" not in answer.text and "Traceback" not in answer.text and "RuntimeError" not in answer.text


def test_a_banned_account_sees_why(client: TestClient, container: Container) -> None:
    sign_up(client)
    user_id = uuid.UUID(client.get("/api/v1/users/me").json()["id"])
    container.set_status()(local_user(container).id, user_id, UserStatus.BANNED)  # by the operator (an admin)
    answer = client.get("/")
    assert answer.status_code == 403 and "This account is banned." in answer.text


def test_the_language_follows_the_browser_then_the_saved_choice(client: TestClient) -> None:
    russian = client.get("/signin", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru">' in russian.text and "Вход" in russian.text
    sign_up(client)
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "ru"}).text  # registered in English
    changed = client.post("/language", data={"language": "ru", "next": "/?kind=pdf", "csrf_token": page_csrf(client)},
                          follow_redirects=False)
    assert changed.status_code == 303 and changed.headers["location"] == "/?kind=pdf"
    assert client.get("/api/v1/users/me").json()["language"] == "ru"  # the account's language, for every channel
    assert '<html lang="ru">' in client.get("/").text
    refused = client.post("/language", data={"language": "en", "next": "/"}, follow_redirects=False)
    assert refused.status_code == 403


def test_registration_closed_refuses_the_form(tmp_path: Path) -> None:
    closed = build_container(home=tmp_path, registration="closed")
    with TestClient(create_app(closed)) as client:
        page = client.get("/register")
        assert page.status_code == 403 and "Registration is closed" in page.text and 'name="email"' not in page.text
        token = form_token(client, "/signin")
        answer = client.post("/register", data={"email": "x@example.com", "password": PASSWORD, "csrf_token": token})
        assert answer.status_code == 403 and "Registration is closed" in answer.text
    closed.engine().dispose()


def test_the_api_searches_filenames_as_the_library_does(client: TestClient) -> None:
    sign_up(client)
    csrf = page_csrf(client)
    for name in ("Отчёт Q3.md", "notes.md"):
        client.post("/api/v1/documents", files={"file": (name, f"# {name}\n\nText.".encode())},
                    headers={"X-CSRF-Token": csrf})
    found = client.get("/api/v1/documents", params={"q": "отчёт"}).json()["items"]
    assert [d["filename"] for d in found] == ["Отчёт Q3.md"]
    page = client.get("/", params={"q": "ОТЧЁТ"}).text
    assert "Отчёт Q3.md" in page and "notes.md" not in page
