"""The Usage, Settings and Admin pages in Chromium: the usage page shows the API's numbers; the
Russian interface; an API key created (shown once, copied), used on the API and revoked; the Admin
page a 404 for others; a ban refusing the user's next request; a tier change on the user's usage."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import httpx
import pytest

from entrypoints.web.charts import number
from entrypoints.web.i18n import CATALOGS
from tests.browser.conftest import PASSWORD, new_email, sign_in, sign_up
from tests.e2e.api_server import Server
from tests.e2e.conftest import wait_until

NOTES = b"# Terms\nInvoices are payable within 30 days of receipt. Late payments incur a fee of 2% per month.\n"


def csrf(page: Any) -> str:
    return json.loads(page.locator("#page-data").text_content())["csrf"]


def ask_twice(page: Any) -> None:
    """Upload a note and ask about it twice through the JSON API with the page's cookie."""
    headers = {"X-CSRF-Token": csrf(page)}
    document = page.request.post("/api/v1/documents", headers=headers, multipart={
        "file": {"name": "terms.md", "mimeType": "text/markdown", "buffer": NOTES}}).json()
    assert wait_until(lambda: page.request.get(f"/api/v1/documents/{document['id']}").json()["status"]
                      == "completed")
    for question in ("When are invoices payable?", "What is the late fee?"):
        answer = page.request.post(f"/api/v1/documents/{document['id']}/query", headers=headers,
                                   data={"question": question})
        assert answer.status == 200, answer.text()


def api_token(server: Server, email: str) -> str:
    with server.client() as anonymous:
        return anonymous.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()["access_token"]


@pytest.fixture
def admin(web_server: Server) -> str:
    email = new_email()
    web_server.cli("users", "create", email, "--password", PASSWORD, "--admin")
    return email


@pytest.fixture
def other_page(browser: Any, web_server: Server) -> Iterator[Any]:
    """A second person's browser (its own cookies)."""
    made = browser.new_context(base_url=web_server.base_url, locale="en-US", viewport={"width": 1280, "height": 900})
    page = made.new_page()
    page.set_default_timeout(15_000)
    yield page
    made.close()


def test_the_usage_page_shows_the_numbers_the_api_gives(page: Any, shot: Callable[..., Any]) -> None:
    sign_up(page)
    ask_twice(page)
    page.get_by_role("link", name="Usage").click()
    page.wait_for_url("**/usage")
    api = page.request.get("/api/v1/usage").json()
    assert [w["used"] for w in api["windows"]] == [2, 2, 2]
    for window in api["windows"]:
        row = page.locator(f"#usage-windows tr[data-window={window['window']}]")
        assert [int(row.locator(f"[data-field={f}]").inner_text()) for f in ("remaining", "used", "limit")] == [
            window["remaining"], window["used"], window["limit"]]
        shown = datetime.fromisoformat(row.locator("time").get_attribute("datetime"))
        assert shown == datetime.fromisoformat(window["reset_at"].replace("Z", "+00:00"))
    assert page.locator("#usage-documents").inner_text() == (
        f"{api['documents']['used']} of {api['documents']['allowed']} documents")
    totals = page.locator("#usage-totals")
    assert int(totals.locator("[data-field=questions]").inner_text()) == sum(d["questions"] for d in api["daily"])
    assert int(totals.locator("[data-field=tokens_in]").inner_text()) == sum(d["tokens_in"] for d in api["daily"])
    charts = page.locator("svg.chart")
    assert charts.count() == 2
    today = api["daily"][-1]
    assert page.locator("#usage-tokens circle").count() == 60  # two series over 30 days
    day = date.fromisoformat(today["day"])
    label = f"{CATALOGS['en'][f'month_{day.month}']} {day.day}"
    described = page.locator("#usage-tokens-desc").text_content()
    assert "Tokens in: " in described and f"{label}: {number(today['tokens_in'])}" in described
    assert f"{label}: {number(today['tokens_out'])}" in described.split("Tokens out: ")[1]
    assert page.locator("#usage-cost rect.chart-bar").count() == 30
    shot(page, "usage")
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    shot(page, "usage-360")


def test_switching_to_russian_turns_the_whole_interface_russian(page: Any, shot: Callable[..., Any]) -> None:
    sign_up(page)
    page.goto("/settings")
    page.get_by_label("Русский").check()
    page.locator("#language-settings button[type=submit]").click()
    page.wait_for_url("**/settings?done=language")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Настройки"
    assert page.get_by_role("status").inner_text() == "Язык сохранён."
    text = page.locator("body").inner_text()
    en, ru = CATALOGS["en"], CATALOGS["ru"]
    english = [en[k] for k in en if en[k] != ru[k] and len(en[k]) > 3 and en[k] in text]
    assert english == [], f"English left on the Russian page: {english}"
    shot(page, "settings-ru")
    page.get_by_role("link", name="Расход").click()
    page.wait_for_url("**/usage")
    assert page.get_by_role("heading", level=1).inner_text() == "Расход"
    assert "Сколько вопросов осталось" in page.locator("main").inner_text()
    page.goto("/settings")
    page.get_by_label("English").check()
    page.locator("#language-settings button[type=submit]").click()
    page.wait_for_url("**/settings?done=language")
    assert page.get_by_role("heading", level=1).inner_text() == "Settings"


def test_an_api_key_is_created_used_and_revoked(page: Any, context: Any, web_server: Server,
                                                shot: Callable[..., Any]) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    email = sign_up(page)
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Name").fill("Nightly <export>")
    page.get_by_role("button", name="Create a key").click()
    page.wait_for_url("**/settings?done=key_created")
    key = page.locator("#new-key-value").input_value()
    assert key.startswith("ak_")
    assert 'Key "Nightly <export>" created.' in page.locator("#new-key").inner_text()
    page.get_by_role("button", name="Copy").click()
    page.locator("#copy-state", has_text="Copied to the clipboard.").wait_for()  # the copy is asynchronous
    assert page.evaluate("navigator.clipboard.readText()") == key
    shot(page, "settings-key-created")
    with httpx.Client(base_url=web_server.base_url) as program:
        assert program.get("/api/v1/users/me", headers={"X-API-Key": key}).json()["email"] == email
        page.reload()
        assert page.locator("#new-key-value").count() == 0  # shown once
        row = page.locator("#api-keys tr", has_text="Nightly <export>")
        assert row.locator("time").count() == 2  # created, and last used (just now, by the program)
        row.get_by_role("link", name="Revoke").click()
        dialog = page.locator("#confirm-dialog")
        assert dialog.is_visible() and "Nightly <export>" in dialog.inner_text()
        shot(page, "settings-revoke-dialog")
        dialog.get_by_role("button", name="Cancel").click()
        assert not dialog.is_visible() and row.get_attribute("data-state") == "active"
        row.get_by_role("link", name="Revoke").click()
        dialog.get_by_role("button", name="Yes, revoke").click()
        page.wait_for_url("**/settings?done=key_revoked")
        assert page.get_by_role("status").inner_text() == "The API key has been revoked."
        assert page.locator("#api-keys tr[data-state=revoked]").count() == 1
        refused = program.get("/api/v1/users/me", headers={"X-API-Key": key})
        assert refused.status_code == 401 and refused.json()["code"] == "invalid_credentials"
    shot(page, "settings")


def test_the_admin_page_is_a_404_for_anyone_else(page: Any, shot: Callable[..., Any]) -> None:
    sign_up(page)
    assert page.get_by_role("link", name="Admin").count() == 0
    answer = page.goto("/admin")
    assert answer.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    shot(page, "admin-404")


def test_the_admin_bans_a_user_whose_next_request_is_refused(page: Any, other_page: Any, admin: str,
                                                              web_server: Server, shot: Callable[..., Any]) -> None:
    dave = sign_up(other_page)
    token = api_token(web_server, dave)
    sign_in(page, admin)
    page.get_by_role("link", name="Admin").click()
    page.get_by_label("Email contains").fill(dave.split("@")[0])
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/admin?email=*")
    row = page.locator(f"#users tr[data-email='{dave}']")
    assert page.locator("#users tbody tr").count() == 1 and row.get_attribute("data-status") == "active"
    assert page.locator("svg.chart").count() == 5
    shot(page, "admin")
    row.get_by_role("link", name="Ban").click()
    dialog = page.locator("#confirm-dialog")
    assert dave in dialog.inner_text()
    shot(page, "admin-ban-dialog")
    dialog.get_by_role("button", name="Yes, ban").click()
    page.wait_for_url("**/admin?*done=banned*")
    assert page.get_by_role("status").inner_text() == "The user has been banned."
    assert page.get_by_label("Email contains").input_value() == dave.split("@")[0]  # the search is kept
    assert row.get_attribute("data-status") == "banned"

    refused = other_page.goto("/")
    assert refused.status == 403 and "This account is banned." in other_page.locator("main").inner_text()
    with web_server.client(token) as api:
        answer = api.get("/api/v1/documents")
        assert answer.status_code == 403 and answer.json()["code"] == "user_banned"

    row.get_by_role("link", name="Unban").click()
    dialog.get_by_role("button", name="Yes, lift the ban").click()
    page.wait_for_url("**/admin?*done=unbanned*")
    assert other_page.goto("/").status == 200
    with web_server.client(token) as api:
        assert api.get("/api/v1/documents").status_code == 200


def test_a_tier_change_shows_on_the_users_usage(page: Any, other_page: Any, admin: str) -> None:
    erin = sign_up(other_page)
    other_page.goto("/usage")
    assert other_page.locator("#usage-windows tr[data-window=minute] [data-field=limit]").inner_text() == "10"
    sign_in(page, admin)
    page.goto("/admin")
    page.get_by_label("Email contains").fill(erin)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/admin?email=*")
    row = page.locator(f"#users tr[data-email='{erin}']")
    row.get_by_role("combobox").select_option("premium")
    row.get_by_role("button", name="Save").click()
    page.wait_for_url("**/admin?*done=tier*")
    assert row.get_attribute("data-tier") == "premium"
    other_page.reload()
    assert "Your plan: Premium." in other_page.locator("main").inner_text()
    assert other_page.locator("#usage-windows tr[data-window=minute] [data-field=limit]").inner_text() == "30"
    row.get_by_role("combobox").select_option("enterprise")
    row.get_by_role("button", name="Save").click()
    page.wait_for_url("**/admin?*done=tier*")
    other_page.reload()
    assert other_page.locator("#usage-unlimited").inner_text() == "Your plan has no limit on questions."


def test_the_revoke_dialog_works_by_keyboard(page: Any) -> None:
    sign_up(page)
    page.goto("/settings")
    page.get_by_label("Name").focus()
    page.keyboard.type("keyboard")
    page.keyboard.press("Enter")  # submits the create form
    page.wait_for_url("**/settings?done=key_created")
    link = page.locator("#api-keys").get_by_role("link", name="Revoke")
    link.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#confirm-dialog")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "confirm-cancel"  # the safe choice has the focus
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.textContent").startswith("Revoke")  # focus is back on the link
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")  # from Cancel to "Yes, revoke"
    assert page.evaluate("document.activeElement.id") == "confirm-yes"
    page.keyboard.press("Enter")
    page.wait_for_url("**/settings?done=key_revoked")
    assert page.locator("#api-keys tr[data-state=revoked]").count() == 1
