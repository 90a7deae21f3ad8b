"""The citation viewer over HTTP (issue 15, item 4): a real server, real uploads, real answers from
the offline model; each citation is then shown where it stands. A 10-Q citation's boxes cover the
quoted words (the text pdfium finds inside the boxes is the quote), a workbook citation flags its
row's cells as the sheet formats them, a Word citation marks its passage in its section; another
user's document is a 404 on every route; pages too large to draw are bounded or refused."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import docx
import httpx
import openpyxl
import pypdfium2
import pytest
from PIL import Image

from domain.passages import fold
from tests.corpus import corpus_path
from tests.e2e.api_server import PROBLEM, Server, run_server, wait_processed
from tests.speech_audio import spoken_wav
from tests.text_pdf_factory import text_page_pdf

NVDA = "pdf/sec-10q/2023-Q3-NVDA.pdf"
GAMING = "What was Gaming revenue for the third quarter of fiscal year 2024?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from run_server(tmp_path_factory.mktemp("citation-views"))


@pytest.fixture(scope="module")
def ann(server: Server) -> Iterator[httpx.Client]:
    with server.register() as client:
        yield client


@pytest.fixture(scope="module")
def filing(ann: httpx.Client) -> dict:
    document = Server.processed(ann, "nvda-10q.pdf", corpus_path(NVDA).read_bytes(), timeout=120)
    assert document["status"] == "completed", document
    return document


def _first_citation(client: httpx.Client, document_id: str, question: str) -> dict:
    answer = client.post(f"/api/v1/documents/{document_id}/query", json={"question": question})
    assert answer.status_code == 200, answer.text
    assert answer.json()["citations"], answer.json()
    return answer.json()["citations"][0]


def _view(client: httpx.Client, citation: dict) -> httpx.Response:
    return client.get(f"/api/v1/documents/{citation['document_id']}/chunks/{citation['chunk_ordinal']}/view",
                      params={"quote": citation["quote"]})


def _text_inside(data: bytes, page: dict) -> str:
    """The page's characters inside the view's boxes, read by pdfium (unrotated page, origin at 0)."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        textpage = pdf[page["page"] - 1].get_textpage()
        width, height = page["width"], page["height"]
        return " ".join(textpage.get_text_bounded(left=b["x0"] * width, bottom=(1 - b["y1"]) * height,
                                                  right=b["x1"] * width, top=(1 - b["y0"]) * height)
                        for b in page["boxes"])
    finally:
        pdf.close()


def test_a_10q_citation_is_boxed_over_its_quoted_words(ann: httpx.Client, filing: dict) -> None:
    citation = _first_citation(ann, filing["id"], GAMING)
    response = _view(ann, citation)
    assert response.status_code == 200, response.text
    body = response.json()
    view = body["view"]
    assert (view["type"], view["page_count"], body["locators"]) == ("pages", 52, citation["locators"])
    page = view["pages"][0]
    assert page["page"] == citation["locators"][0]["page"] and page["found"] and page["boxes"]
    width, height = page["width"], page["height"]
    inside = _text_inside(corpus_path(NVDA).read_bytes(), page)
    assert fold(citation["quote"])[0] in fold(inside)[0], (citation["quote"], inside)
    assert len(fold(inside)[0]) <= len(fold(citation["quote"])[0]) + 4  # the quote, not the lines around it

    image = ann.get(page["image_url"], params={"width": 800})
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    drawn = Image.open(io.BytesIO(image.content)).size
    assert drawn[0] == 800 and abs(drawn[1] - 800 * height / width) <= 1
    assert "private" in image.headers["cache-control"]
    again = ann.get(page["image_url"], params={"width": 800}, headers={"If-None-Match": image.headers["etag"]})
    assert again.status_code == 304 and not again.content
    other_width = ann.get(page["image_url"], params={"width": 400})
    assert other_width.headers["etag"] != image.headers["etag"]


def test_bad_pages_widths_and_ordinals_are_problems(ann: httpx.Client, filing: dict) -> None:
    base = f"/api/v1/documents/{filing['id']}"
    past = ann.get(f"{base}/pages/53/image")
    assert (past.status_code, past.headers["content-type"], past.json()["code"]) == (404, PROBLEM, "page_not_found")
    assert "52 page" in past.json()["detail"]
    for width in (10, 5000):
        assert ann.get(f"{base}/pages/1/image", params={"width": width}).status_code == 422
    missing = ann.get(f"{base}/chunks/99999/view", params={"quote": "x"})
    assert (missing.status_code, missing.json()["code"]) == (404, "chunk_not_found")
    assert ann.get(f"{base}/chunks/0/view", params={"quote": "x" * 2001}).status_code == 422


def test_another_users_document_is_not_found_on_every_route(server: Server, filing: dict) -> None:
    base = f"/api/v1/documents/{filing['id']}"
    with server.register() as bob:
        for path in (f"{base}/chunks/0/view", f"{base}/pages/1/image", f"{base}/file"):
            response = bob.get(path)
            assert (response.status_code, response.json()["code"]) == (404, "document_not_found"), path
    with server.client() as anonymous:
        assert anonymous.get(f"{base}/file").status_code == 401


def test_the_original_is_an_attachment_with_byte_ranges(ann: httpx.Client, filing: dict) -> None:
    url = f"/api/v1/documents/{filing['id']}/file"
    original = corpus_path(NVDA).read_bytes()
    whole = ann.get(url)
    assert whole.status_code == 200 and whole.content == original
    assert whole.headers["content-type"] == "application/pdf"
    assert whole.headers["content-disposition"].startswith("attachment; filename*=UTF-8''nvda-10q.pdf")
    assert whole.headers["x-content-type-options"] == "nosniff" and whole.headers["accept-ranges"] == "bytes"
    part = ann.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == original[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(original)}"
    tail = ann.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == original[-10:]
    past = ann.get(url, headers={"Range": f"bytes={len(original)}-"})
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{len(original)}"


def test_a_workbook_citation_flags_its_rows_cells_as_the_sheet_shows_them(ann: httpx.Client) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Stock"
    sheet.append(["SKU", "Depot", "Units", "Value"])
    for row in [("KX-19", "Tallinn", 120, 1530.5), ("KX-19", "Riga", 75, 956.25), ("KX-22", "Tallinn", 340, 8840),
                ("KX-22", "Riga", 410, 10660)]:
        sheet.append(row)
    for cell in sheet["D"][1:]:
        cell.number_format = "#,##0.00"
    data = io.BytesIO()
    book.save(data)
    document = Server.processed(ann, "stock.xlsx", data.getvalue())
    citation = _first_citation(ann, document["id"], "How many units of KX-22 are at the Riga depot?")
    view = _view(ann, citation).json()["view"]
    assert view["type"] == "sheet" and view["sheet"] == "Stock"
    header, *rows = view["rows"]
    assert header["header"] and [c["value"] for c in header["cells"]] == ["SKU", "Depot", "Units", "Value"]
    cited = [row for row in rows if any(c["cited"] for c in row["cells"])]
    assert [row["number"] for row in cited] == [5], view
    assert [c["value"] for c in cited[0]["cells"]] == ["KX-22", "Riga", "410", "10,660.00"]
    assert all(c["cited"] for c in cited[0]["cells"])
    assert [c["value"] for c in rows[0]["cells"]][3] == "1,530.50"  # the range around it, formatted too


def test_a_word_citation_is_marked_in_its_section(ann: httpx.Client) -> None:
    word = docx.Document()
    word.add_heading("Payment terms", level=1)
    word.add_paragraph("Invoices are payable within 30 days of receipt. Late payments incur a fee of 2% per month.")
    word.add_paragraph("Disputed invoices are settled by the finance team.")
    word.add_heading("Office", level=1)
    word.add_paragraph("The Berlin office opens at 9 am and closes at 6 pm on weekdays.")
    data = io.BytesIO()
    word.save(data)
    document = Server.processed(ann, "terms.docx", data.getvalue())
    citation = _first_citation(ann, document["id"], "Within how many days are invoices payable?")
    view = _view(ann, citation).json()["view"]
    assert view["type"] == "section" and view["section"] == "Payment terms"
    assert [b["kind"] for b in view["blocks"]] == ["heading", "paragraph", "paragraph"]  # not the next section
    cited = [b for b in view["blocks"] if b["cited"]]
    assert len(cited) == 1 and cited[0]["marks"]
    marked = " ".join(cited[0]["text"][start:end] for start, end in cited[0]["marks"])
    assert "payable within 30 days" in marked and fold(marked)[0] == fold(citation["quote"])[0]


def test_a_huge_page_is_drawn_within_the_pixel_cap_and_a_huge_image_is_refused(ann: httpx.Client) -> None:
    lines = ["The warehouse inventory report lists every pallet stored on the mezzanine level."]
    tall = Server.processed(ann, "tall.pdf", text_page_pdf(200, 14_400, lines))
    assert tall["status"] == "completed", tall
    drawn = ann.get(f"/api/v1/documents/{tall['id']}/pages/1/image", params={"width": 2400})
    assert drawn.status_code == 200, drawn.text
    width, height = Image.open(io.BytesIO(drawn.content)).size
    assert width < 2400 and width * height <= 25_000_000 and abs(height / width - 72) < 1

    bomb = Server.processed(ann, "poster.pdf", text_page_pdf(612, 792, lines, image_px=(40_000, 40_000)), timeout=60)
    assert bomb["status"] == "completed", bomb
    refused = ann.get(f"/api/v1/documents/{bomb['id']}/pages/1/image")
    assert (refused.status_code, refused.json()["code"]) == (422, "file_too_complex")
    assert "40,000 x 40,000 pixels" in refused.json()["detail"]
    citation = _first_citation(ann, bomb["id"], "Where are the pallets stored?")
    view = _view(ann, citation).json()["view"]  # the boxes need no drawing: still shown
    assert view["pages"][0]["found"] and view["pages"][0]["boxes"]


def test_a_protected_pdf_uploaded_with_its_password_is_shown_without_it(ann: httpx.Client) -> None:
    """The password is never kept: the file is stored unlocked, so the viewer reopens it as it is."""
    protected = corpus_path("pdf/encrypted/password-example.pdf").read_bytes()
    response = ann.post("/api/v1/documents", files={"file": ("backup.pdf", protected)}, data={"password": "test"})
    assert response.status_code == 202, response.text
    document = wait_processed(ann, response.json()["id"])
    assert document["status"] == "completed", document
    citation = _first_citation(ann, document["id"], "Where can network administrators install Backup4all?")
    page = _view(ann, citation).json()["view"]["pages"][0]
    assert page["found"] and page["boxes"]
    stored = ann.get(f"/api/v1/documents/{document['id']}/file").content
    assert fold(citation["quote"])[0] in fold(_text_inside(stored, page))[0]  # opened without a password
    assert ann.get(page["image_url"], params={"width": 300}).status_code == 200


def test_a_recording_citation_plays_from_its_moment_with_byte_ranges(ann: httpx.Client, tmp_path: Path) -> None:
    wav = spoken_wav("the invoice is payable within thirty days", tmp_path)
    document = Server.processed(ann, "voice.wav", wav, timeout=120)
    assert document["status"] == "completed", document
    chunk = ann.get(f"/api/v1/documents/{document['id']}/chunks").json()["items"][0]  # what offline speech heard
    citation = {"document_id": document["id"], "chunk_ordinal": 0, "quote": chunk["text"][:300]}
    view = _view(ann, citation).json()["view"]
    assert view["type"] == "media" and view["media_type"] == "audio/wav"
    assert view["start_seconds"] == chunk["locators"][0]["start_seconds"]
    assert view["media_url"] == f"/api/v1/documents/{document['id']}/file"
    part = ann.get(view["media_url"], headers={"Range": "bytes=0-99"})
    assert (part.status_code, part.headers["content-type"], part.content) == (206, "audio/wav", wav[:100])
    assert part.headers["content-disposition"].startswith("inline;")  # an audio element plays it
