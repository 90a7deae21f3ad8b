"""The API on PostgreSQL + Redis with two worker processes, as deployed: the documents list and
questions answered from the cache go through the async store (one read, group commit) and must
behave exactly like the sync path the SQLite suite covers: recorded, paged, refused for other
users' documents and banned users, rate limited across processes."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.e2e.api_server import PROBLEM, Server, run_server, wait_processed

pytestmark = pytest.mark.postgres
QUESTION = {"question": "When are invoices payable?"}
TERMS = b"# Terms\n\nInvoices are payable within 30 days of receipt.\n\nDelivery takes five days.\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, make_postgres_database: Callable[[], str],
           redis_server_url: str) -> Iterator[Server]:
    prefix = f"test-{uuid.uuid4().hex[:10]}:"
    yield from run_server(tmp_path_factory.mktemp("api-pg"), {
        "ASSISTANT_DATABASE_URL": make_postgres_database(), "ASSISTANT_DATABASE_AUTO_MIGRATE": "true",
        "ASSISTANT_REDIS_URL": redis_server_url, "ASSISTANT_REDIS_PREFIX": prefix,
        "ASSISTANT_QUEUE_BACKEND": "inline", "ASSISTANT_API_WORKERS": "2"})


def _document(client: httpx.Client, name: str = "terms.md") -> str:
    response = client.post("/api/v1/documents", files={"file": (name, TERMS)})
    assert response.status_code == 202, response.text
    document_id = response.json()["id"]
    assert wait_processed(client, document_id)["status"] == "completed"
    return document_id


def _ask(client: httpx.Client, document_id: str) -> httpx.Response:
    return client.post(f"/api/v1/documents/{document_id}/query", json=QUESTION)


def test_a_cached_answer_is_recorded_and_cited_like_the_first(server: Server) -> None:
    with server.register() as ann:
        document_id = _document(ann)
        first, again = _ask(ann, document_id), _ask(ann, document_id)
        assert first.status_code == again.status_code == 200, again.text
        assert not first.json()["cached"] and again.json()["cached"]
        assert again.json()["answer"] == first.json()["answer"] and again.json()["citations"] == first.json()["citations"]
        assert again.json()["citations"][0]["document_id"] == document_id
        assert again.headers["RateLimit-Remaining"] == "8"  # the free tier's minute: 10, two used
        history = ann.get("/api/v1/conversations").json()
        assert [c["id"] for c in history] == [again.json()["id"], first.json()["id"]]
        usage = ann.get("/api/v1/usage", params={"history": "true"}).json()
        assert usage["windows"][0] == {**usage["windows"][0], "window": "minute", "used": 2, "remaining": 8}
        assert [(d["questions"], d["cached"]) for d in usage["daily"]] == [(2, 1)]


def test_another_users_document_and_a_banned_user_are_refused_on_the_cached_path(server: Server) -> None:
    with server.register() as ann, server.register() as bob:
        document_id = _document(ann)
        assert _ask(ann, document_id).status_code == 200  # now cached
        stolen = _ask(bob, document_id)
        assert stolen.status_code == 404 and stolen.headers["content-type"] == PROBLEM
        assert stolen.json()["code"] == "document_not_found"
        assert _ask(bob, str(uuid.uuid4())).json()["code"] == "document_not_found"
        assert bob.get("/api/v1/conversations").json() == []
        email = ann.get("/api/v1/users/me").json()["email"]
        server.cli("users", "ban", email)
        banned = _ask(ann, document_id)
        assert banned.status_code == 403 and banned.json()["code"] == "user_banned"


def test_concurrent_cached_questions_are_all_recorded(server: Server) -> None:
    with server.register() as ann:
        server.cli("users", "set-tier", ann.get("/api/v1/users/me").json()["email"], "enterprise")
        document_id = _document(ann)
        assert _ask(ann, document_id).status_code == 200
        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda _: _ask(ann, document_id), range(48)))
        assert [a.status_code for a in answers] == [200] * 48 and all(a.json()["cached"] for a in answers)
        history = ann.get("/api/v1/conversations", params={"limit": 100}).json()
        assert len(history) == 49 and {a.json()["id"] for a in answers} <= {c["id"] for c in history}


def test_the_rate_limit_holds_across_both_processes(server: Server) -> None:
    with server.register() as ann:
        document_id = _document(ann)
        statuses = [_ask(ann, document_id).status_code for _ in range(11)]
        assert statuses == [200] * 10 + [429]
        refused = _ask(ann, document_id)
        assert refused.json()["code"] == "rate_limited" and int(refused.headers["Retry-After"]) >= 1
        assert len(ann.get("/api/v1/conversations", params={"limit": 100}).json()) == 10


def test_the_documents_list_pages_filters_and_shows_only_mine(server: Server) -> None:
    with server.register() as ann, server.register() as bob:
        uploaded = [ann.post("/api/v1/documents", files={"file": (f"n{n}.md", f"# Note {n}\n".encode())}).json()["id"]
                    for n in range(5)]
        bobs = _document(bob, "bob.md")
        seen, cursor = [], None
        while True:
            page = ann.get("/api/v1/documents", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
            seen += [d["id"] for d in page["items"]]
            if (cursor := page["next_cursor"]) is None:
                break
        assert seen == list(reversed(uploaded)) and bobs not in seen
        for document_id in uploaded:
            wait_processed(ann, document_id)
        completed = ann.get("/api/v1/documents", params={"status": "completed", "kind": "markdown"}).json()["items"]
        assert {d["id"] for d in completed} == set(uploaded)
        assert ann.get("/api/v1/documents", params={"status": "failed"}).json() == {"items": [], "next_cursor": None}
        server.cli("users", "ban", bob.get("/api/v1/users/me").json()["email"])
        banned = bob.get("/api/v1/documents")
        assert banned.status_code == 403 and banned.json()["code"] == "user_banned"
