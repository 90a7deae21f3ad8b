"""The dashboard in a real browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright for
Python, against a real `assistant serve` subprocess (tests/e2e/api_server.py).

Fixtures:
- ``web_server``: one API server for the whole session (embedded profile: SQLite, inline queue);
  ``make_web_server(env)`` starts another with extra settings (registration closed, a model stub).
- ``browser``: headless Chromium, launched once (never downloaded: ``executable_path``).
- ``context`` / ``page``: a fresh browser profile per test (its own cookies) whose every request is
  recorded; at the end of the test each must have gone to 127.0.0.1 (and no script may have thrown).
- ``shot(page, name)``: a screenshot in tests/browser/screenshots/<name>.png (git-ignored), for a
  person to look at.
- ``sign_up(page, ...)`` / ``sign_in(page, ...)``: through the real forms; ``upload_processed(page, ...)``:
  a file through the JSON API with the page's CSRF token, waited for until processed.

Without Chromium (or Playwright) the tests are skipped with the reason, except under CI=true,
where they fail: .ci/run installs the Debian package.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.api_server import Server, run_server

CHROMIUM = Path(os.environ.get("ASSISTANT_TEST_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "correct horse battery"
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"data", "blob", "about"}  # not network requests


def _unavailable(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (required under CI=true: .ci/run installs chromium)")
    pytest.skip(message)


# Per module, not per session: Playwright's sync API keeps an event loop running in this thread
# while it is started, and every later test that calls asyncio.run() would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (make install)")
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        # root in a container: Chromium's sandbox needs user namespaces it may not have
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def make_web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Server]]:
    """Start an API server with extra ASSISTANT_* settings; all are stopped at the end of the session."""
    with contextlib.ExitStack() as stack:
        def start(env: dict[str, str] | None = None, name: str = "web") -> Server:
            return stack.enter_context(contextlib.contextmanager(run_server)(tmp_path_factory.mktemp(name), env))

        yield start


@pytest.fixture(scope="session")
def web_server(make_web_server: Callable[..., Server]) -> Server:
    return make_web_server()


class RequestLog:
    """Every request a browser context made (pages, scripts, WebSockets), and every uncaught script error."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.script_errors: list[str] = []

    def foreign(self) -> list[str]:
        """The requests that went anywhere but 127.0.0.1."""
        return [url for url in self.urls
                if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname not in LOCAL_HOSTS]

    def watch(self, page: Any) -> None:
        page.on("websocket", lambda socket: self.urls.append(socket.url))
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))


@pytest.fixture
def requests_seen() -> RequestLog:
    return RequestLog()


@pytest.fixture
def context(browser: Any, web_server: Server, requests_seen: RequestLog) -> Iterator[Any]:
    """A fresh profile (no cookies) with its base URL on the session's server, English by default."""
    made = browser.new_context(base_url=web_server.base_url, locale="en-US", viewport={"width": 1280, "height": 900})
    made.on("request", lambda request: requests_seen.urls.append(request.url))
    made.on("page", requests_seen.watch)
    yield made
    made.close()
    assert requests_seen.foreign() == [], f"requests left 127.0.0.1: {requests_seen.foreign()}"
    assert requests_seen.script_errors == [], f"uncaught script errors: {requests_seen.script_errors}"


@pytest.fixture
def page(context: Any) -> Any:
    made = context.new_page()
    made.set_default_timeout(15_000)
    return made


@pytest.fixture
def shot() -> Callable[[Any, str], Path]:
    """``shot(page, name)``: the whole page as tests/browser/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(target: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        target.screenshot(path=str(path), full_page=True)
        return path

    return take


def new_email() -> str:
    return f"{uuid.uuid4().hex[:10]}@example.com"


def sign_up(page: Any, email: str | None = None, password: str = PASSWORD, *, language: str | None = None,
            name: str | None = None) -> str:
    """Register through the form (signed in afterwards, on the Library); the email used."""
    email = email or new_email()
    page.goto("/register")
    page.get_by_label("Email").fill(email)
    page.locator("#password").fill(password)
    if name:
        page.locator("#username").fill(name)
    if language:
        page.locator("#register-language").select_option(language)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url("**/")
    return email


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form; waits for the page it leads to."""
    page.goto("/signin")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()


def page_csrf(page: Any) -> str:
    """The CSRF token the page hands its scripts (page-data)."""
    return page.evaluate("JSON.parse(document.getElementById('page-data').textContent).csrf")


def upload_processed(page: Any, name: str, data: bytes, timeout: float = 120) -> str:
    """Upload through the JSON API with the page's cookie and CSRF token; the id once processed."""
    part = {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    response = page.request.post("/api/v1/documents", multipart={"file": part}, headers={"X-CSRF-Token": page_csrf(page)})
    assert response.status == 202, response.text()
    document_id = response.json()["id"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = page.request.get(f"/api/v1/documents/{document_id}").json()["status"]
        if status in ("completed", "failed"):
            assert status == "completed"
            return document_id
        time.sleep(0.2)
    raise AssertionError(f"{name} not processed in time")
