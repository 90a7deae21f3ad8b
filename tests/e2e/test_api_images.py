"""Images through the API as a user sends them: a PNG scan and a multi-page TIFF become documents
read by OCR with page locators and a thumbnail; an image bomb is refused without being decoded."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from tests.binaries import require_binary
from tests.corpus import corpus_path
from tests.image_factory import corpus_tiff, declared_png
from tests.e2e.api_server import Server, run_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_binary("tesseract", "tesseract-ocr")
    yield from run_server(tmp_path_factory.mktemp("images"))


def _upload(client, name: str, data: bytes) -> dict:  # noqa: ANN001 - an httpx.Client
    return Server.processed(client, name, data, timeout=180)  # OCR, on a machine that may be busy


def test_a_scan_and_a_multi_page_tiff_are_read_with_pages_and_thumbnails(server: Server) -> None:
    with server.register() as ann, server.register() as bob:
        scan = _upload(ann, "brochure.png", corpus_path("images/linn.png").read_bytes())
        assert (scan["status"], scan["kind"], scan["page_count"]) == ("completed", "image", 1), scan
        pages = _upload(ann, "scans.tif", corpus_tiff("images/linn.png", "images/typewriter.png"))
        assert (pages["status"], pages["page_count"]) == ("completed", 2), pages
        chunks = ann.get(f"/api/v1/documents/{pages['id']}/chunks").json()["items"]
        by_page = {}
        for chunk in chunks:
            for locator in chunk["locators"]:
                by_page.setdefault(locator["page"], []).append(chunk["text"])
        assert "Linzensoep" in " ".join(by_page[2]) and "LinnSequencer" in " ".join(by_page[1])
        answer = ann.post(f"/api/v1/documents/{pages['id']}/query",
                          json={"question": "How many tracks does the LinnSequencer record?"}).json()
        assert "32" in answer["answer"] and answer["citations"][0]["locators"][0]["page"] == 1, answer

        assert scan["thumbnail_url"] == f"/api/v1/documents/{scan['id']}/thumbnail"
        picture = ann.get(scan["thumbnail_url"])
        assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
        assert max(Image.open(io.BytesIO(picture.content)).size) == 320
        assert bob.get(scan["thumbnail_url"]).status_code == 404  # another user's: as if missing


def test_an_image_bomb_fails_as_hostile_and_the_next_image_is_read(server: Server) -> None:
    with server.register() as ann:
        bomb = _upload(ann, "invoice.png", declared_png(60_000, 60_000))
        assert (bomb["status"], bomb["error_code"]) == ("failed", "hostile_file"), bomb
        assert "megapixels" in bomb["error_message"] and bomb["thumbnail_url"] is None
        after = _upload(ann, "receipt.jpg", corpus_path("images/baiona_color.jpg").read_bytes())
        assert after["status"] == "completed"
        text = " ".join(c["text"] for c in ann.get(f"/api/v1/documents/{after['id']}/chunks").json()["items"])
        assert "Milafranga" in text
