"""GET /api/v1/documents/{id}/chunks a page at a time over HTTP (issue 13: the route answered every
chunk at once, 42 MB for one document), on PostgreSQL: `limit` (1..1000, default 100) and an opaque
`cursor` in the documents list's envelope ({"items", "next_cursor"})."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.e2e.api_server import PROBLEM, Server, run_server, wait_processed

pytestmark = pytest.mark.postgres
PARAGRAPHS = "\n\n".join(f"Paragraph {i} says the invoice number {i} is payable within {i} days of receipt, "
                         "unless the parties agreed otherwise in writing before the delivery." for i in range(60))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, make_postgres_database: Callable[[], str]) -> Iterator[Server]:
    yield from run_server(tmp_path_factory.mktemp("api-chunks"), {
        "ASSISTANT_DATABASE_URL": make_postgres_database(), "ASSISTANT_DATABASE_AUTO_MIGRATE": "true",
        "ASSISTANT_CHUNK_TOKENS": "32", "ASSISTANT_CHUNK_OVERLAP": "0"})


@pytest.fixture(scope="module")
def owner(server: Server) -> Iterator[httpx.Client]:
    with server.register() as client:
        yield client


@pytest.fixture(scope="module")
def document_id(owner: httpx.Client) -> str:
    response = owner.post("/api/v1/documents", files={"file": ("terms.md", f"# Terms\n\n{PARAGRAPHS}\n".encode())})
    assert response.status_code == 202, response.text
    assert wait_processed(owner, response.json()["id"])["status"] == "completed"
    return response.json()["id"]


def test_paging_through_every_chunk(owner: httpx.Client, document_id: str) -> None:
    url = f"/api/v1/documents/{document_id}/chunks"
    whole = owner.get(url, params={"limit": 1000}).json()
    assert whole["next_cursor"] is None and len(whole["items"]) > 20
    pages, cursor = [], None
    while True:
        page = owner.get(url, params={"limit": 7, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        pages.append(page.json()["items"])
        if (cursor := page.json()["next_cursor"]) is None:
            break
    assert all(len(items) == 7 for items in pages[:-1]) and 1 <= len(pages[-1]) <= 7
    assert [chunk for items in pages for chunk in items] == whole["items"]
    assert [chunk["ordinal"] for chunk in whole["items"]] == list(range(len(whole["items"])))
    default = owner.get(url).json()
    assert default["items"] == whole["items"][:100] and (default["next_cursor"] is None) == (len(whole["items"]) <= 100)


@pytest.mark.parametrize("params", [{"cursor": "0"}, {"cursor": "%%%"}, {"cursor": "AAAAAAA"}, {"cursor": "A" * 9},
                                    {"cursor": "AAAAAAA="}, {"limit": 0}, {"limit": 1001}, {"limit": "ten"}])
def test_a_malformed_cursor_or_limit_is_422(owner: httpx.Client, document_id: str, params: dict[str, object]) -> None:
    response = owner.get(f"/api/v1/documents/{document_id}/chunks", params=params)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "invalid_input"


def test_any_well_formed_cursor_names_a_position(owner: httpx.Client, document_id: str) -> None:
    """Every cursor the schema admits is accepted (schemathesis sent `cursor=0` to the documents list,
    which its old schema admitted and the route refused): past the last chunk is an empty last page."""
    beyond = owner.get(f"/api/v1/documents/{document_id}/chunks", params={"cursor": "________"})
    assert beyond.status_code == 200 and beyond.json() == {"items": [], "next_cursor": None}
    start = owner.get(f"/api/v1/documents/{document_id}/chunks", params={"cursor": "AAAAAAAA", "limit": 2}).json()
    assert [c["ordinal"] for c in start["items"]] == [1, 2]  # after ordinal 0
    for cursor in ("A" * 32, "_" * 32, "0" * 32, "f" + "_" * 31):  # the documents list: 24 bytes, any of them a position
        assert owner.get("/api/v1/documents", params={"cursor": cursor}).status_code == 200, cursor
    assert owner.get("/api/v1/documents", params={"cursor": "0"}).status_code == 422


def test_another_users_chunks_are_not_found(server: Server, document_id: str) -> None:
    with server.register() as intruder:
        for target in (document_id, str(uuid.uuid4())):
            response = intruder.get(f"/api/v1/documents/{target}/chunks", params={"limit": 5})
            assert response.status_code == 404 and response.json()["code"] == "document_not_found"
