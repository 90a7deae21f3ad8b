"""The Library in Chromium: uploads (file button and drag-and-drop) with their progress, a 10-Q
reaching Ready without a reload (pushed over /api/v1/events), the password prompt, failures in
plain words, delete with its confirmation, filters and search, escaped filenames, CSRF, 404s."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import new_email, sign_up
from tests.corpus import corpus_path
from tests.e2e.api_server import Server

TEN_Q = "pdf/sec-10q/2023-Q3-AAPL.pdf"
XSS_NAME = "<img src=x onerror=alert(1)>.md"
READY_MS = 120_000  # a 30-page filing with its tables on 2 busy cores


def row(page: Any, name: str) -> Any:
    return page.locator("li.document", has=page.locator(".document-name", has_text=name))


def upload(page: Any, *files: dict[str, Any] | str) -> None:
    """Choose files with the file button (a path, or {"name", "mimeType", "buffer"})."""
    page.locator("#file-input").set_input_files(list(files))


def api_upload(page: Any, name: str, data: bytes) -> dict[str, Any]:
    """Upload through the JSON API with the page's cookie and CSRF token (arranging a library fast)."""
    csrf = json.loads(page.locator("#page-data").text_content())["csrf"]
    answer = page.request.post("/api/v1/documents", multipart={"file": {"name": name, "mimeType": "text/markdown",
                                                                         "buffer": data}},
                               headers={"X-CSRF-Token": csrf})
    assert answer.status == 202, answer.text()
    return answer.json()


def test_a_10q_uploads_with_progress_and_becomes_ready_without_a_reload(page: Any, shot: Callable[..., Any]) -> None:
    sign_up(page)
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    page.evaluate("""() => {
        window.statuses = [];
        new MutationObserver(() => {
            const label = document.querySelector('li.document [data-field=status_label]');
            if (label && window.statuses.at(-1) !== label.textContent) { window.statuses.push(label.textContent); }
        }).observe(document.getElementById('documents'), {subtree: true, childList: true, characterData: true,
                                                          attributes: true});
        window.uploadPercents = [];
        new MutationObserver(() => {
            const bar = document.querySelector('#uploads progress');
            if (bar) { window.uploadPercents.push(bar.value); }
        }).observe(document.getElementById('uploads'), {subtree: true, childList: true, attributes: true});
    }""")
    upload(page, str(corpus_path(TEN_Q)))
    line = page.locator("#uploads li.upload")
    assert line.locator(".upload-name").inner_text() == "2023-Q3-AAPL.pdf"
    entry = row(page, "2023-Q3-AAPL.pdf")
    entry.locator(".status-completed").wait_for(timeout=READY_MS)
    assert entry.locator("[data-field=status_label]").inner_text() == "Ready"
    assert page.evaluate("window.sameDocument") is True
    assert page.evaluate("window.uploadPercents").count(100) >= 1  # the byte progress bar filled
    statuses = page.evaluate("window.statuses")
    assert statuses[-1] == "Ready" and len(statuses) >= 2, statuses  # Queued / Processing … then Ready
    assert "1 of 10 documents" in page.locator("#quota").inner_text()
    ask = entry.locator("[data-field=ask]")
    assert ask.is_visible()  # shown once Ready, by the pushed event
    shot(page, "library")
    page.reload()  # the server renders the same state
    assert row(page, "2023-Q3-AAPL.pdf").locator(".status-completed").inner_text() == "Ready"
    row(page, "2023-Q3-AAPL.pdf").locator("[data-field=ask]").click()  # asks about that document
    page.wait_for_url("**/ask?document=*")
    assert page.locator("input[type=checkbox]:checked").count() == 1


def test_several_files_dropped_each_get_their_own_progress(page: Any) -> None:
    sign_up(page)
    page.evaluate("""() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['# One\\n\\nFirst file.'], 'one.md', {type: 'text/markdown'}));
        transfer.items.add(new File(['# Two\\n\\nSecond file.'], 'two.md', {type: 'text/markdown'}));
        const zone = document.getElementById('dropzone');
        zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""")
    lines = page.locator("#uploads li.upload")
    lines.nth(1).wait_for()
    assert lines.count() == 2 and lines.locator("progress").count() == 2
    for name in ("one.md", "two.md"):
        row(page, name).locator(".status-completed").wait_for(timeout=30_000)
    assert "2 of 10 documents" in page.locator("#quota").inner_text()


def test_a_protected_pdf_asks_for_its_password(page: Any, shot: Callable[..., Any]) -> None:
    sign_up(page)
    upload(page, str(corpus_path("pdf/encrypted/password-example.pdf")))
    dialog = page.locator("#password-dialog")
    dialog.wait_for(state="visible", timeout=60_000)  # processing found the lock: the prompt opens
    assert "password-example.pdf is protected by a password" in dialog.inner_text()
    shot(page, "library-password")
    page.locator("#file-password").fill("wrong one")
    dialog.get_by_role("button", name="Upload").click()
    page.locator("#password-dialog-text", has_text="That password did not open password-example.pdf").wait_for()
    assert dialog.is_visible()
    page.locator("#file-password").fill("test")
    page.keyboard.press("Enter")
    entry = row(page, "password-example.pdf")
    entry.locator(".status-completed").wait_for(timeout=60_000)
    assert page.locator("li.document").count() == 1  # the failed one was replaced, not kept beside it


def test_a_failure_says_what_happened_and_what_to_do(page: Any) -> None:
    sign_up(page)
    upload(page, {"name": "empty.txt", "mimeType": "text/plain", "buffer": b""})
    error = page.locator("#uploads [data-field=upload_error]")
    error.wait_for()
    assert "The file is empty." in error.inner_text() and "choose another one" in error.inner_text()
    upload(page, str(corpus_path("pdf/corrupt/invalid.pdf")))
    failed = page.locator("li.document[data-status=failed]")
    failed.wait_for(timeout=60_000)
    assert failed.locator("[data-field=error]").is_visible()
    assert failed.locator("[data-field=what_to_do]").inner_text().strip()


def test_a_filename_is_shown_as_text_never_as_markup(page: Any) -> None:
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    sign_up(page)
    upload(page, {"name": XSS_NAME, "mimeType": "text/markdown", "buffer": b"# Hostile\n\nA name, nothing more."})
    entry = row(page, "onerror")
    entry.locator(".status-completed").wait_for(timeout=30_000)
    assert entry.locator(".document-name").inner_text() == XSS_NAME
    assert page.locator("#uploads .upload-name").inner_text() == XSS_NAME
    page.reload()
    assert row(page, "onerror").locator(".document-name").inner_text() == XSS_NAME
    assert page.locator("main img").count() == 0 and alerts == []
    page.locator(".document-name").click()
    assert page.get_by_role("heading", level=1).inner_text() == XSS_NAME


def test_delete_asks_first(page: Any, shot: Callable[..., Any]) -> None:
    sign_up(page)
    api_upload(page, "keep.md", b"# Keep\n\nText.")
    api_upload(page, "drop.md", b"# Drop\n\nText.")
    page.reload()
    row(page, "drop.md").get_by_role("link", name="Delete drop.md").click()
    dialog = page.locator("#delete-dialog")
    assert dialog.is_visible() and "Delete drop.md?" in dialog.inner_text()
    shot(page, "library-delete")
    dialog.get_by_role("button", name="Cancel").click()
    assert row(page, "drop.md").count() == 1
    row(page, "drop.md").get_by_role("link", name="Delete drop.md").click()
    dialog.get_by_role("button", name="Yes, delete").click()
    row(page, "drop.md").wait_for(state="detached")
    page.reload()
    assert row(page, "drop.md").count() == 0 and row(page, "keep.md").count() == 1


def test_delete_without_scripts_goes_through_a_confirmation_page(browser: Any, web_server: Server) -> None:
    context = browser.new_context(base_url=web_server.base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_up(page)
        page.goto("/")
        assert page.locator("noscript").count() == 1
        # arrange with the API: a page without scripts cannot upload
        page_data = json.loads(page.locator("#page-data").text_content())
        answer = page.request.post("/api/v1/documents", multipart={"file": {"name": "old.md", "mimeType": "text/plain",
                                                                             "buffer": b"# Old\n\nText."}},
                                   headers={"X-CSRF-Token": page_data["csrf"]})
        assert answer.status == 202
        page.reload()
        row(page, "old.md").get_by_role("link", name="Delete old.md").click()
        assert "Delete old.md?" in page.locator("main").inner_text()
        page.get_by_role("button", name="Yes, delete").click()
        page.wait_for_url("**/?deleted=1")
        assert "The document has been deleted." in page.locator("main").inner_text()
        assert row(page, "old.md").count() == 0
    finally:
        context.close()


def test_filters_and_search_are_server_side(page: Any) -> None:
    sign_up(page)
    for name in ("Budget 2024.md", "budget notes.md", "minutes.md"):
        api_upload(page, name, f"# {name}\n\nText of {name}.".encode())
    page.goto("/")
    page.locator("#filter-q").fill("BUDGET")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(lambda url: "q=BUDGET" in url)
    assert sorted(page.locator(".document-name").all_inner_texts()) == ["Budget 2024.md", "budget notes.md"]
    page.locator("#filter-kind").select_option("pdf")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(lambda url: "kind=pdf" in url and "q=BUDGET" in url)
    assert page.locator(".document-name").count() == 0
    assert page.locator("#documents-empty").inner_text() == "No document matches these filters."
    page.get_by_role("link", name="Clear filters").click()
    assert page.locator(".document-name").count() == 3
    page.goto("/?status=failed&kind=nonsense")  # a value that is not ours is ignored
    assert page.locator("#filter-status").input_value() == "failed" and page.locator("#filter-kind").input_value() == ""


def test_posts_without_the_csrf_token_are_refused(page: Any) -> None:
    sign_up(page)
    answer = page.request.post("/api/v1/documents", multipart={"file": {"name": "a.md", "mimeType": "text/plain",
                                                                         "buffer": b"# A\n\nText."}})
    assert answer.status == 403 and answer.json()["code"] == "csrf_failed"
    page.evaluate("document.querySelector('form[action=\"/signout\"] input[name=csrf_token]').remove()")
    page.get_by_role("button", name="Sign out").click()
    assert "reload the page" in page.locator("main").inner_text()
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Library"  # still signed in


def test_another_users_document_is_the_404_page(page: Any, browser: Any, web_server: Server,
                                                shot: Callable[..., Any]) -> None:
    sign_up(page)
    document = api_upload(page, "private.md", b"# Private\n\nMine alone.")
    assert page.goto(f"/documents/{document['id']}").status == 200
    stranger = browser.new_context(base_url=web_server.base_url)
    try:
        theirs = stranger.new_page()
        sign_up(theirs)
        response = theirs.goto(f"/documents/{document['id']}")
        assert response.status == 404 and theirs.get_by_role("heading", level=1).inner_text() == "Page not found"
        assert "private.md" not in theirs.content()
        shot(theirs, "not-found")
        unknown = theirs.goto("/no/such/page")
        assert unknown.status == 404
        assert theirs.locator("main").inner_text() == theirs.locator("main").inner_text()
    finally:
        stranger.close()


def test_the_russian_interface(page: Any, shot: Callable[..., Any], browser: Any, web_server: Server) -> None:
    sign_up(page, language="ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Библиотека"
    assert page.get_by_role("button", name="Выйти").is_visible()
    assert "0 из 10 документов" in page.locator("#quota").inner_text()
    upload(page, {"name": "заметки.md", "mimeType": "text/markdown", "buffer": "# Заметки\n\nТекст.".encode()})
    row(page, "заметки.md").locator(".status-completed").wait_for(timeout=30_000)
    assert row(page, "заметки.md").locator("[data-field=status_label]").inner_text() == "Готов"
    shot(page, "library-ru")
    visitor = browser.new_context(base_url=web_server.base_url, locale="ru-RU")  # before sign-in: the browser's
    try:
        signin = visitor.new_page()
        signin.goto("/signin")
        assert signin.locator("html").get_attribute("lang") == "ru"
        assert signin.get_by_role("heading", level=1).inner_text() == "Вход"
        shot(signin, "signin-ru")
    finally:
        visitor.close()


def test_the_keyboard_reaches_everything_with_a_visible_focus(page: Any, shot: Callable[..., Any]) -> None:
    sign_up(page)
    api_upload(page, "report.md", b"# Report\n\nText.")
    page.reload()
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.bounding_box()["x"] >= 0  # shown on screen when focused
    reached: list[str] = []
    for _ in range(80):  # up to the page's last control (then the focus leaves the page)
        page.keyboard.press("Tab")
        focus = page.evaluate("""() => {
            const e = document.activeElement, style = getComputedStyle(e);
            if (e === document.body) { return null; }
            const label = e.id ? document.querySelector(`label[for="${e.id}"]`) : null;
            const ringOn = e.classList.contains('file-input') && label ? getComputedStyle(label) : style;
            return {name: [e.id, e.name, e.getAttribute('aria-label'), e.textContent.trim()].join(' '),
                    width: parseFloat(ringOn.outlineWidth), style: ringOn.outlineStyle};
        }""")
        if focus is None:
            break
        reached.append(focus["name"])
        assert focus["style"] != "none" and focus["width"] >= 2, focus
    for expected in ("Library", "Sign out", "file-input", "filter-q", "filter-kind", "filter-status", "Apply",
                     "report.md", "Delete report.md", "language-select", "Change"):
        assert any(expected in name for name in reached), (expected, reached)
    page.locator("#file-input").focus()
    shot(page, "focus-file-button")  # (a full-page screenshot moves the focus away: taken last)


@pytest.mark.parametrize("width", [360])
def test_the_library_fits_a_narrow_screen(browser: Any, web_server: Server, shot: Callable[..., Any],
                                          width: int) -> None:
    context = browser.new_context(base_url=web_server.base_url, viewport={"width": width, "height": 740})
    try:
        page = context.new_page()
        sign_up(page, email=new_email())
        api_upload(page, "a-rather-long-file-name-for-a-narrow-screen-quarterly-report.md", b"# R\n\nText.")
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        shot(page, f"library-{width}px")
    finally:
        context.close()


UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, progress')]
    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
    .map(e => e.outerHTML.slice(0, 120))"""


def test_every_control_has_a_label(page: Any) -> None:
    for path in ("/signin", "/register"):
        page.goto(path)
        assert page.evaluate(UNLABELLED) == [], path
    sign_up(page)
    api_upload(page, "labelled.md", b"# L\n\nText.")
    page.reload()
    upload(page, {"name": "second.md", "mimeType": "text/markdown", "buffer": b"# S\n\nText."})
    page.locator("#uploads li.upload").wait_for()
    assert page.evaluate(UNLABELLED) == []  # the dialogs' controls included (closed dialogs are in the DOM)
