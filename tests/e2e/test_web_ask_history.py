"""The Ask and History pages without a browser: the app in process (TestClient, httpx), the
embedded profile with the offline engine, signed in through the register form like
tests/e2e/test_web_session.py. What the scripts do (streaming, chips, rename) is in
tests/browser/test_ask_history.py."""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from config.container import Container
from entrypoints.api.app import create_app
from entrypoints.web.history_pages import PAGE_SIZE
from tests.e2e.conftest import NOTES
from tests.e2e.test_web_session import page_csrf, sign_up, web_container

PAGE_DATA = re.compile(r'<script type="application/json" id="page-data">(.*?)</script>', re.S)
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def container(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    yield from web_container(tmp_path_factory.mktemp("web-ask"))


@pytest.fixture(scope="module")
def app(container: Container):  # noqa: ANN201 - the ASGI app
    return create_app(container)


def new_client(app) -> TestClient:  # noqa: ANN001
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # noqa: ANN001
    with new_client(app) as made:
        sign_up(made)
        made.headers["X-CSRF-Token"] = page_csrf(made)
        yield made


def page_data(response) -> dict:  # noqa: ANN001
    found = PAGE_DATA.search(response.text)
    assert found, response.text[:500]
    return json.loads(found.group(1))


def processed(client: TestClient, name: str, data: bytes) -> dict:
    answer = client.post("/api/v1/documents", files={"file": (name, data)})
    assert answer.status_code == 202, answer.text
    for _ in range(300):
        document = client.get(f"/api/v1/documents/{answer.json()['id']}").json()
        if document["status"] in ("completed", "failed"):
            return document
        time.sleep(0.05)
    raise AssertionError("not processed in time")


def asked(client: TestClient, thread_id: str, question: str) -> dict:
    answer = client.post(f"/api/v1/threads/{thread_id}/messages", json={"question": question})
    assert answer.status_code == 200, answer.text
    return answer.json()


def listed(page: str) -> list[str]:
    """The thread titles of a History page's list (not of its row template)."""
    return re.findall(r'class="thread-title" href="/history/[0-9a-f-]+">([^<]+)</a>', page.split("<template")[0])


def test_the_pages_need_an_account(app) -> None:  # noqa: ANN001
    with new_client(app) as anonymous:
        for path in ("/ask", "/history", f"/history/{uuid.uuid4()}", "/history/export?format=md"):
            answer = anonymous.get(path, follow_redirects=False)
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/signin?next=")


def test_the_ask_page_offers_ready_documents_only_and_shows_names_as_text(client: TestClient) -> None:
    ready = processed(client, "notes.md", NOTES.encode())
    broken = processed(client, f"{XSS}.pdf", b"%PDF-1.4\nnot really a PDF\n")
    assert (ready["status"], broken["status"]) == ("completed", "failed")
    page = client.get("/ask")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    def box(document: dict, text: str) -> str:
        return re.search(r'<input type="checkbox" id="doc-{}"[^>]*>'.format(document["id"]), text).group(0)

    assert " disabled" not in box(ready, page.text) and " disabled" in box(broken, page.text)
    assert XSS not in page.text and html.escape(XSS, quote=False) in page.text
    assert page_data(page)["documents"] == {ready["id"]: "notes.md", broken["id"]: f"{XSS}.pdf"}
    assert page_data(page)["thread"] is None
    preselected = client.get(f"/ask?document={ready['id']}")
    assert "checked" in box(ready, preselected.text)
    assert re.search(r'id="scope-documents"[^>]*checked', preselected.text)


def test_a_thread_opened_on_the_ask_page_carries_its_turns(client: TestClient) -> None:
    document = processed(client, "notes.md", NOTES.encode())
    thread = client.post("/api/v1/threads", json={"document_ids": [document["id"]]}).json()
    first = asked(client, thread["id"], "When are invoices payable?")
    assert first["citations"], first
    page = client.get(f"/ask?thread={thread['id']}")
    data = page_data(page)
    assert data["thread"] == {"id": thread["id"], "scope": "document"}
    assert [t["question"] for t in data["turns"]] == ["When are invoices payable?"]
    assert data["turns"][0]["citations"] == first["citations"]  # what the API gives, for the same chips
    assert 'id="ask-scope"' not in page.text  # a thread keeps its scope
    assert "When are invoices payable?" in page.text  # its title, in "Continuing ..."


def test_another_users_thread_is_the_404_page(app, client: TestClient) -> None:  # noqa: ANN001
    document = processed(client, "notes.md", NOTES.encode())
    thread = client.post("/api/v1/threads", json={"document_ids": [document["id"]]}).json()
    asked(client, thread["id"], "When are invoices payable?")
    with new_client(app) as other:
        sign_up(other)
        unknown = other.get(f"/history/{uuid.uuid4()}")
        assert unknown.status_code == 404
        title = re.search(r"<title>(.*?)</title>", unknown.text).group(1)
        for path in (f"/ask?thread={thread['id']}", f"/history/{thread['id']}"):
            answer = other.get(path)
            assert answer.status_code == 404 and "text/html" in answer.headers["content-type"], path
            assert re.search(r"<title>(.*?)</title>", answer.text).group(1) == title  # the same page
            assert "invoices" not in answer.text.lower()
        assert other.get("/history/not-a-thread-id").status_code == 404
        assert other.get("/ask?thread=42").status_code == 404
        assert "invoices" not in other.get("/history").text.lower()


def test_the_history_lists_threads_a_page_at_a_time_like_the_api(client: TestClient) -> None:
    document = processed(client, "notes.md", NOTES.encode())
    for n in range(PAGE_SIZE + 1):
        client.post("/api/v1/threads", json={"document_ids": [document["id"]], "title": f"Thread {n:02d}"})
    first = client.get("/history")
    titles = listed(first.text)
    assert titles == [f"Thread {n:02d}" for n in range(PAGE_SIZE, 0, -1)]  # most recently active first
    api = client.get(f"/api/v1/threads?limit={PAGE_SIZE}").json()
    more = re.search(r'id="history-more"[^>]*href="/history\?cursor=([A-Za-z0-9_-]+)"', first.text)
    assert more and more.group(1) == api["next_cursor"]
    assert page_data(first)["page_size"] == PAGE_SIZE
    second = client.get(f"/history?cursor={more.group(1)}")
    assert listed(second.text) == ["Thread 00"]
    assert 'id="history-more"' not in second.text
    for format in ("md", "docx", "pdf", "json"):
        assert f'/api/v1/threads/{api["items"][0]["id"]}/export?format={format}"' in first.text


def test_a_thread_page_shows_each_turn_with_its_citations_escaped(client: TestClient) -> None:
    document = processed(client, "notes.md", NOTES.encode())
    thread = client.post("/api/v1/threads", json={"document_ids": [document["id"]]}).json()
    turn = asked(client, thread["id"], "When are invoices payable?")
    assert turn["citations"], turn
    asked(client, thread["id"], f"And {XSS} late payments?")
    page = client.get(f"/history/{thread['id']}")
    assert page.status_code == 200
    assert XSS not in page.text and html.escape(XSS, quote=False) in page.text
    assert page.text.count('<li class="turn"') == 2
    citation = turn["citations"][0]
    assert f'href="#turn-1-cite-{citation["number"]}">[{citation["number"]}]</a>' in page.text
    assert f'id="turn-1-cite-{citation["number"]}"' in page.text
    assert html.escape(citation["quote"], quote=False) in page.text
    assert f'href="/ask?thread={thread["id"]}"' in page.text  # continue it on the Ask page


def test_the_history_download_leaves_out_empty_dates(client: TestClient) -> None:
    document = processed(client, "notes.md", NOTES.encode())
    thread = client.post("/api/v1/threads", json={"document_ids": [document["id"]]}).json()
    asked(client, thread["id"], "When are invoices payable?")
    answer = client.get("/history/export?since=&until=2099-12-31&format=json", follow_redirects=False)
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert location.path == "/api/v1/threads/history/export"
    assert parse_qs(location.query) == {"format": ["json"], "until": ["2099-12-31"]}
    download = client.get(answer.headers["location"])
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert [t["title"] for t in download.json()["threads"]] == ["When are invoices payable?"]
    assert client.get("/history/export?since=yesterday").status_code == 404  # not a date: no such page


def test_the_stream_the_ask_page_reads_works_with_the_cookie_and_its_csrf_header(client: TestClient) -> None:
    document = processed(client, "notes.md", NOTES.encode())
    thread = client.post("/api/v1/threads", json={"document_ids": [document["id"]]}).json()
    url = f"/api/v1/threads/{thread['id']}/messages?stream=true"
    refused = client.post(url, json={"question": "When are invoices payable?"}, headers={"X-CSRF-Token": ""})
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    with client.stream("POST", url, json={"question": "When are invoices payable?"}) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        body = "".join(stream.iter_text())
    events = re.findall(r"event: (\w+)\ndata: (.*)\n\n", body)
    assert [name for name, _ in events][-1] == "answer" and {"delta"} == {name for name, _ in events[:-1]}
    final = json.loads(events[-1][1])
    assert "".join(json.loads(d)["text"] for _, d in events[:-1]).strip() and final["citations"]


def test_the_librarys_cursor_is_used_when_well_formed_and_ignored_otherwise(client: TestClient) -> None:
    document = processed(client, "cursor-notes.md", NOTES.encode())
    row = f'data-document-id="{document["id"]}"'
    assert row in client.get("/").text
    assert row not in client.get("/?before=" + "A" * 32).text  # the epoch: nothing is older
    for bad in ("A" * 31, "A" * 33, "A" * 31 + "=", "A" * 31 + "é"):
        answer = client.get("/", params={"before": bad})
        assert answer.status_code == 200 and row in answer.text, bad  # ignored: the first page
