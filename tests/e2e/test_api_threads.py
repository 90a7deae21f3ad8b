"""Thread routes over HTTP on PostgreSQL: start, list by cursor, read, rename, delete; another
user's thread is a 404 on every route."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.e2e.api_server import PROBLEM, Server, run_server
from tests.e2e.conftest import STOCK_CSV

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, make_postgres_database: Callable[[], str]) -> Iterator[Server]:
    yield from run_server(tmp_path_factory.mktemp("threads"), {
        "ASSISTANT_DATABASE_URL": make_postgres_database(), "ASSISTANT_DATABASE_AUTO_MIGRATE": "true"})


def test_threads_are_made_listed_renamed_and_deleted_by_their_owner_only(server: Server) -> None:
    with server.register() as ann, server.register() as bob:
        document_id = server.processed(ann, "terms.md", b"# Terms\n\nInvoices are due in 30 days.")["id"]
        made = ann.post("/api/v1/threads", json={"document_ids": [document_id]})
        assert made.status_code == 201 and made.json()["scope"] == "document" and made.json()["title"] == ""
        library = ann.post("/api/v1/threads", json={"whole_library": True, "title": "Everything"}).json()
        assert library["scope"] == "library" and library["document_ids"] == []
        assert bob.post("/api/v1/threads", json={"document_ids": [document_id]}).status_code == 404
        both = ann.post("/api/v1/threads", json={"document_ids": [document_id], "whole_library": True})
        assert both.status_code == 201 and both.json()["scope"] == "library"  # whole_library wins
        assert ann.delete(f"/api/v1/threads/{both.json()['id']}").status_code == 204
        bad = ann.post("/api/v1/threads", json={"document_ids": ["not-a-uuid"]})
        assert bad.status_code == 422 and bad.headers["content-type"].startswith(PROBLEM)

        first = ann.get("/api/v1/threads", params={"limit": 1}).json()
        assert [t["id"] for t in first["items"]] == [library["id"]] and first["next_cursor"]
        rest = ann.get("/api/v1/threads", params={"limit": 1, "cursor": first["next_cursor"]}).json()
        assert [t["id"] for t in rest["items"]] == [made.json()["id"]] and rest["next_cursor"] is None
        assert bob.get("/api/v1/threads").json()["items"] == []

        thread = f"/api/v1/threads/{made.json()['id']}"
        detail = ann.get(thread).json()
        assert detail["turns"] == [] and detail["document_ids"] == [document_id]
        renamed = ann.patch(thread, json={"title": "Supplier terms"})
        assert renamed.status_code == 200 and renamed.json()["title"] == "Supplier terms"
        for response in (bob.get(thread), bob.patch(thread, json={"title": "mine"}), bob.delete(thread)):
            assert response.status_code == 404 and response.json()["code"] == "thread_not_found"
        assert ann.delete(thread).status_code == 204
        assert ann.get(thread).status_code == 404




def test_a_follow_up_in_a_thread_is_understood_and_stored_as_its_next_turn(server: Server) -> None:
    with server.register() as ann, server.register() as bob:
        document_id = server.processed(ann, "inventory.csv", STOCK_CSV.encode())["id"]
        thread = ann.post("/api/v1/threads", json={"document_ids": [document_id]}).json()
        messages = f"/api/v1/threads/{thread['id']}/messages"
        first = ann.post(messages, json={"question": "How many units of KX-22 are at the Tallinn depot?"}).json()
        assert "340" in first["answer"], first
        follow_up = ann.post(messages, json={"question": "And how many at the Riga depot?"})
        assert follow_up.status_code == 200 and "410" in follow_up.json()["answer"], follow_up.text
        assert not follow_up.json()["cached"]  # never the cached answer to the first question
        streamed = ann.post(messages, params={"stream": "true"}, json={"question": "And KX-19?"})
        assert streamed.headers["content-type"].startswith("text/event-stream")
        assert "event: answer" in streamed.text and "75" in streamed.text.split("event: answer", 1)[1]

        detail = ann.get(f"/api/v1/threads/{thread['id']}").json()
        assert [t["question"] for t in detail["turns"]] == [
            "How many units of KX-22 are at the Tallinn depot?", "And how many at the Riga depot?", "And KX-19?"]
        assert detail["title"] == "How many units of KX-22 are at the Tallinn depot?"
        assert bob.post(messages, json={"question": "And KX-19?"}).status_code == 404

        assert ann.delete(f"/api/v1/documents/{document_id}").status_code == 204
        gone = ann.post(messages, json={"question": "And in Riga?"})
        assert gone.status_code == 409 and gone.json()["code"] == "thread_documents_gone"
