"""Sign up, sign out, sign in, "registration closed" and the session cookie, in Chromium."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.browser.conftest import PASSWORD, new_email, sign_in, sign_up
from tests.e2e.api_server import Server


def test_sign_up_sign_out_and_sign_in_again(page: Any, context: Any, shot: Callable[[Any, str], Any]) -> None:
    page.goto("/")
    assert page.url.endswith("/signin")  # signed out: the Library sends you to sign in
    shot(page, "signin")
    page.get_by_role("link", name="Create one").click()
    shot(page, "register")
    email = sign_up(page, name="Ann Example")
    assert page.get_by_role("heading", level=1).inner_text() == "Library"
    assert "Signed in as Ann Example" in page.locator(".account").inner_text()
    cookie = next(c for c in context.cookies() if c["name"] == "assistant_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/" and not cookie["secure"]
    assert page.evaluate("document.cookie").find("assistant_session") == -1  # scripts cannot read it
    shot(page, "library-empty")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin?out=1")
    assert "You have signed out." in page.locator("main").inner_text()
    assert not [c for c in context.cookies() if c["name"] == "assistant_session"]
    page.goto("/")
    assert page.url.endswith("/signin")

    sign_in(page, email, "not the password")
    assert "The email or password is not right." in page.locator("[role=alert]").inner_text()
    shot(page, "signin-error")
    sign_in(page, email)
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Library"


def test_a_signed_out_cookie_no_longer_opens_pages(page: Any, context: Any, web_server: Server) -> None:
    sign_up(page)
    cookie = next(c for c in context.cookies() if c["name"] == "assistant_session")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin?out=1")
    context.add_cookies([cookie])  # a copy of the cookie kept from before the sign-out
    page.goto("/")
    assert "/signin" in page.url and "Your session has ended." in page.locator("main").inner_text()


def test_the_sign_in_page_goes_back_where_it_was_asked_for(page: Any) -> None:
    email = sign_up(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin?out=1")
    page.goto("/?kind=pdf")
    assert "next=" in page.url
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url("**/?kind=pdf")
    assert page.locator("#filter-kind").input_value() == "pdf"


def test_registration_closed_is_respected(browser: Any, make_web_server: Callable[..., Server],
                                          shot: Callable[[Any, str], Any]) -> None:
    closed = make_web_server({"ASSISTANT_REGISTRATION": "closed"}, name="closed")
    context = browser.new_context(base_url=closed.base_url)
    try:
        page = context.new_page()
        response = page.goto("/register")
        assert response is not None and response.status == 403
        assert page.get_by_role("heading", level=1).inner_text() == "Registration is closed"
        assert page.locator("form input[name=email]").count() == 0
        page.goto("/signin")
        assert page.get_by_role("link", name="Create one").count() == 0
        shot(page, "register-closed")
        # the form posted anyway (with a valid pre-session token) is refused too
        token = page.locator("input[name=csrf_token]").first.input_value()
        answer = page.request.post("/register", form={"email": new_email(), "password": PASSWORD, "csrf_token": token})
        assert answer.status == 403 and "Registration is closed" in answer.text()
    finally:
        context.close()
