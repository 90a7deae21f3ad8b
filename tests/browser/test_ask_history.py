"""The Ask and History pages in Chromium (issue 15, items 3 and 5): a processed 10-Q, a question
whose answer streams in (the page's text recorded by a MutationObserver changes several times
before the end), citation chips, a follow-up in the same thread, the thread on the History page
with its two turns, rename, downloads, the plain-words errors, the Russian interface, and another
user's thread as the 404 page.

The answers come from a local OpenAI-compatible server that streams word by word with a pause
(tests/browser/slow_model.py): the offline engine sends a whole answer in one burst."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from entrypoints.web.history_pages import PAGE_SIZE
from tests.browser.conftest import RequestLog, page_csrf, sign_up, upload_processed
from tests.browser.slow_model import base_url, slow_model
from tests.corpus import corpus_path
from tests.e2e.api_server import Server
from tests.e2e.conftest import NOTES

TEN_Q = "pdf/sec-10q/2023-Q1-AAPL.pdf"
PER_DAY = 2  # the free tier's questions a day on the streaming server: the third is refused (a day
# window, so the test cannot straddle its reset the way it could a minute's)

# every change of the conversation, as the page saw it: [streaming?, the newest answer's text]
RECORD_ANSWERS = """() => {
  window.seenAnswers = [];
  new MutationObserver(() => {
    const answers = document.querySelectorAll('#conversation .turn-answer');
    const last = answers[answers.length - 1];
    if (last) window.seenAnswers.push([last.classList.contains('streaming'), last.textContent]);
  }).observe(document.getElementById('conversation'), {childList: true, subtree: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def streaming_server(make_web_server: Callable[..., Server]) -> Iterator[Server]:
    with slow_model() as model:
        yield make_web_server({"ASSISTANT_LLM_BACKEND": "openai", "ASSISTANT_OPENAI_BASE_URL": base_url(model),
                               "ASSISTANT_TIERS": f'{{"free": {{"per_day": {PER_DAY}}}}}'}, name="ask")


def watched_context(browser: Any, server: Server, seen: RequestLog) -> Any:
    made = browser.new_context(base_url=server.base_url, locale="en-US", viewport={"width": 1280, "height": 900})
    made.on("request", lambda request: seen.urls.append(request.url))
    made.on("page", seen.watch)
    return made


@pytest.fixture
def ask_page(browser: Any, streaming_server: Server) -> Iterator[Any]:
    """A page on the streaming server, checked like the shared ``page`` (nothing left 127.0.0.1,
    no script error)."""
    seen = RequestLog()
    made = watched_context(browser, streaming_server, seen)
    page = made.new_page()
    page.set_default_timeout(15_000)
    yield page
    made.close()
    assert seen.foreign() == [] and seen.script_errors == [], (seen.foreign(), seen.script_errors)


def finished_turns(page: Any, count: int, timeout: float = 60_000) -> None:
    """Wait until ``count`` turns have their final answer (or their error)."""
    page.locator(f"#conversation .turn:nth-child({count}) .turn-answer:not(.streaming) p").wait_for(timeout=timeout)


def test_ask_stream_follow_up_history_rename_export_russian(ask_page: Any, browser: Any, streaming_server: Server,
                                                            shot: Callable[[Any, str], Path]) -> None:
    page = ask_page
    sign_up(page)
    document_id = upload_processed(page, "aapl-10q.pdf", corpus_path(TEN_Q).read_bytes())

    page.goto("/ask")
    assert page.locator(f"#doc-{document_id}").is_enabled()
    page.locator(f"label[for='doc-{document_id}']").click()  # choosing a document chooses "documents"
    assert page.locator("#scope-documents").is_checked()
    page.evaluate(RECORD_ANSWERS)
    question = page.locator("#question")
    question.fill("What were the total net sales?")
    question.press("Shift+Enter")  # a new line, not a question
    assert question.input_value() == "What were the total net sales?\n" and page.locator(".turn").count() == 0
    question.fill("What were the total net sales?")
    question.press("Enter")
    finished_turns(page, 1)

    seen = page.evaluate("window.seenAnswers")
    streamed = [text for streaming, text in seen if streaming and text]
    assert len(set(streamed)) >= 3, seen  # the answer grew in pieces before it was complete
    assert all(later.startswith(earlier) for earlier, later in zip(streamed, streamed[1:])), streamed
    answer = page.locator("#conversation .turn").first
    assert answer.locator(".turn-answer").get_attribute("aria-label") == "Answer"
    assert page.locator("#conversation").get_attribute("aria-live") == "polite"
    chips = answer.locator(".chips .chip")
    assert chips.count() >= 1 and chips.first.inner_text().startswith("[1]")
    assert answer.locator(".turn-answer button.marker").first.inner_text() == "[1]"  # [1] in the text, clickable
    assert "/ask?thread=" in page.url  # the thread the first question started
    chips.first.click()
    assert page.locator("#citation-panel").is_visible()
    assert chips.first.get_attribute("aria-current") == "true"
    shot(page, "ask-answer")

    question.fill("And a year earlier?")
    question.press("Enter")
    finished_turns(page, 2)
    assert page.locator("#conversation .turn").nth(1).locator(".chips .chip").count() >= 1
    thread_id = page.url.split("thread=")[1]
    threads = page.request.get("/api/v1/threads").json()["items"]
    assert [t["id"] for t in threads] == [thread_id]  # the follow-up continued the same thread

    question.fill("And two years earlier?")  # over the tier's questions a day
    question.press("Enter")
    finished_turns(page, 3)
    refused = page.locator("#conversation .turn").nth(2).locator(".turn-error").inner_text()
    assert refused.startswith(f"You have used all {PER_DAY} questions of today. You can ask again at ")
    shot(page, "ask-conversation")

    page.goto("/history")
    rows = page.locator("#thread-list .thread-row")
    assert rows.count() == 1
    assert rows.first.locator(".thread-title").inner_text() == "What were the total net sales?"
    shot(page, "history")
    rows.first.locator(".thread-title").click()
    page.wait_for_url(f"**/history/{thread_id}")
    assert page.locator(".turns .turn").count() == 2  # the refused question is no turn
    assert page.locator(".turns .turn .citations li").count() >= 2
    shot(page, "history-thread")
    page.get_by_role("link", name="Continue on the Ask page").click()
    page.wait_for_url(f"**/ask?thread={thread_id}")
    assert page.locator("#conversation .turn").count() == 2 and page.locator("#ask-scope").count() == 0

    other_seen = RequestLog()
    other = watched_context(browser, streaming_server, other_seen)
    stranger = other.new_page()
    sign_up(stranger)
    for path in (f"/history/{thread_id}", f"/ask?thread={thread_id}"):
        response = stranger.goto(path)
        assert response.status == 404, path
        assert stranger.get_by_role("heading", level=1).inner_text() == "Page not found"
    shot(stranger, "history-other-users-thread")
    other.close()
    assert other_seen.foreign() == [] and other_seen.script_errors == []

    page.goto("/history")
    row = page.locator("#thread-list .thread-row").first
    row.get_by_role("button", name="Rename").click()
    title = row.locator("input[name=title]")
    assert title.evaluate("input => input === document.activeElement")
    title.fill("Apple <b>sales</b>")
    title.press("Enter")
    page.locator("#history-notice").get_by_text("Renamed to").wait_for()
    assert row.locator(".thread-title").inner_text() == "Apple <b>sales</b>"  # text, not markup
    page.reload()
    assert page.locator("#thread-list .thread-title").first.inner_text() == "Apple <b>sales</b>"

    with page.expect_download() as markdown:
        page.locator("#thread-list a[data-format=md]").first.click()
    saved = Path(markdown.value.path()).read_text(encoding="utf-8")
    assert markdown.value.suggested_filename.endswith(".md")
    assert "What were the total net sales?" in saved and "And a year earlier?" in saved
    page.locator("#export-format").select_option("pdf")
    with page.expect_download() as history_pdf:
        page.locator(".export-form button[type=submit]").click()
    assert Path(history_pdf.value.path()).read_bytes().startswith(b"%PDF")

    page.locator("#language-select").select_option("ru")
    page.locator(".language-form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto("/history")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "История"
    assert page.locator("#thread-list .rename").first.inner_text() == "Переименовать"
    shot(page, "history-ru")
    page.goto(f"/history/{thread_id}")  # citation labels in Russian, drawn by the server
    assert page.locator(".turns .citations .citation-label").first.inner_text().startswith("[1] стр. ")
    page.goto(f"/ask?thread={thread_id}")
    assert page.get_by_role("heading", level=1).inner_text() == "Вопросы"
    assert page.locator("#conversation .turn .chips .chip").first.inner_text().startswith("[1] стр. ")
    assert page.locator("#ask-submit").inner_text() == "Спросить"
    assert page.locator("#conversation .turn .turn-answer").first.get_attribute("aria-label") == "Ответ"
    question.fill("А три года назад?")
    question.press("Enter")  # still over the day's questions: refused in Russian
    finished_turns(page, 3)
    assert page.locator("#conversation .turn").nth(2).locator(".turn-error").inner_text().startswith(
        f"Лимит вопросов на сутки ({PER_DAY}) исчерпан.")
    shot(page, "ask-ru")

    page.goto("/history")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#thread-list .delete").first.click()
    page.locator("#history-empty").wait_for()
    assert page.locator("#thread-list .thread-row").count() == 0
    assert page.request.get("/api/v1/threads").json()["items"] == []


def test_a_thread_whose_document_was_deleted_says_so_in_plain_words(page: Any, shot: Callable[[Any, str], Path]) -> None:
    sign_up(page)
    document_id = upload_processed(page, "notes.md", NOTES.encode())
    page.goto("/ask")
    page.locator("#ask-submit").click()
    assert page.locator("#ask-notice").inner_text() == "Write a question first."
    page.locator("#scope-documents").check()
    page.locator("#question").fill("When are invoices payable?")
    page.locator("#ask-submit").click()
    assert page.locator("#ask-notice").inner_text() == "Choose at least one document, or ask about the whole library."
    page.locator(f"#doc-{document_id}").check()
    page.locator("#ask-submit").click()
    finished_turns(page, 1)
    assert "30 days" in page.locator("#conversation .turn-answer").first.inner_text()

    deleted = page.request.delete(f"/api/v1/documents/{document_id}", headers={"X-CSRF-Token": page_csrf(page)})
    assert deleted.status == 204
    page.locator("#question").fill("And late payments?")
    page.locator("#question").press("Enter")
    finished_turns(page, 2)
    assert page.locator("#conversation .turn").nth(1).locator(".turn-error").inner_text() == (
        "A document of this conversation has been deleted, so it cannot go on. Start a new conversation.")
    shot(page, "ask-document-gone")
    page.get_by_role("link", name="New conversation").click()
    page.wait_for_url("**/ask")
    assert page.locator("#conversation .turn").count() == 0 and page.locator("#ask-scope").is_visible()
    page.set_viewport_size({"width": 360, "height": 800})
    shot(page, "ask-360")


def test_more_appends_the_next_page_of_threads_in_place(page: Any, shot: Callable[[Any, str], Path]) -> None:
    sign_up(page)
    document_id = upload_processed(page, "notes.md", NOTES.encode())
    for n in range(PAGE_SIZE + 1):
        made = page.request.post("/api/v1/threads", data={"document_ids": [document_id], "title": f"Thread {n:02d}"},
                                 headers={"X-CSRF-Token": page_csrf(page)})
        assert made.status == 201, made.text()
    page.goto("/history")
    titles = page.locator("#thread-list .thread-title")
    assert titles.count() == PAGE_SIZE
    page.locator("#history-more").click()
    titles.nth(PAGE_SIZE).wait_for()
    assert titles.all_inner_texts() == [f"Thread {n:02d}" for n in range(PAGE_SIZE, -1, -1)]
    assert page.url.endswith("/history")  # appended here, not a new page
    assert page.locator("#history-more").is_hidden()
    assert titles.nth(PAGE_SIZE).evaluate("link => link === document.activeElement")  # focus on the first new row
    added = page.locator("#thread-list .thread-row").nth(PAGE_SIZE)
    assert added.locator(".thread-continue").get_attribute("href").startswith("/ask?thread=")
    assert added.locator("a[data-format=json]").get_attribute("href").endswith("/export?format=json")
    added.get_by_role("button", name="Rename").click()
    added.locator("input[name=title]").fill("The oldest one")
    added.locator("input[name=title]").press("Enter")
    page.locator("#history-notice").get_by_text("Renamed to").wait_for()
    assert added.locator(".thread-title").inner_text() == "The oldest one"
    page.set_viewport_size({"width": 360, "height": 800})
    shot(page, "history-360")
