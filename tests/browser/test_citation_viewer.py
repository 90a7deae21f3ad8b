"""The citation viewer in Chromium (issue 15, item 4): ask on the Ask page, click a citation chip,
and the panel shows the source. A 10-Q citation: the page image with a highlight box drawn where
the view JSON puts the quoted words (its boxes are checked against pdfium's text in
tests/e2e/test_api_citation_views.py); an XLSX citation: its row's cells highlighted; a DOCX
citation: the passage in <mark>. Escape closes the panel and gives focus back to the chip."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import openpyxl

from tests.browser.conftest import sign_up, upload_processed
from tests.corpus import corpus_path
from tests.e2e.conftest import NOTES
from tests.speech_audio import spoken_wav

NVDA = "pdf/sec-10q/2023-Q3-NVDA.pdf"


def _until(page: Any, script: str, timeout: float = 15) -> None:
    """Poll ``script`` (a function) until it returns true (page.wait_for_function would need eval)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"not true in time: {script}"
        time.sleep(0.1)


def _ask_and_open_first_citation(page: Any, document_id: str, question: str) -> Any:
    page.goto(f"/ask?document={document_id}")
    page.locator("#question").fill(question)
    page.locator("#ask-submit").click()
    chip = page.locator(".chips .chip").first
    chip.wait_for(timeout=60_000)
    chip.click()
    panel = page.locator("#citation-panel")
    panel.wait_for(state="visible")
    page.locator("#citation-panel[data-view-type]").wait_for()  # the view is drawn (no eval: the CSP forbids it)
    return chip


def _assert_boxes_drawn(page: Any, image: Any, expected: list[dict]) -> None:
    """Each box of the view JSON is drawn where it says on the image (within 1.5 px)."""
    boxes = page.locator("#citation-panel .viewer-box")
    assert boxes.count() == len(expected) > 0
    picture = image.bounding_box()
    for drawn, box in zip(boxes.all(), expected, strict=True):
        actual = drawn.bounding_box()
        want = {"x": picture["x"] + box["x0"] * picture["width"], "y": picture["y"] + box["y0"] * picture["height"],
                "width": (box["x1"] - box["x0"]) * picture["width"],
                "height": (box["y1"] - box["y0"]) * picture["height"]}
        for key in want:
            assert abs(actual[key] - want[key]) <= 1.5, (key, actual, want)


def test_a_10q_citation_shows_the_page_with_a_box_over_the_quoted_words(
        page: Any, shot: Callable[[Any, str], Any]) -> None:
    sign_up(page)
    document_id = upload_processed(page, "nvda-10q.pdf", corpus_path(NVDA).read_bytes())
    views: list[dict] = []
    page.on("response", lambda r: views.append(r.json()) if "/view?" in r.url and r.status == 200 else None)
    chip = _ask_and_open_first_citation(
        page, document_id, "What was Gaming revenue for the third quarter of fiscal year 2024?")
    image = page.locator("#citation-panel .viewer-image").first
    _until(page, "() => { const i = document.querySelector('#citation-panel .viewer-image');"
                 " return Boolean(i && i.complete && i.naturalWidth > 0); }")
    assert views and views[-1]["view"]["type"] == "pages"
    expected = views[-1]["view"]["pages"][0]["boxes"]
    _assert_boxes_drawn(page, image, expected)
    caption = page.locator("#citation-panel .viewer-caption").first.inner_text()
    assert caption == f"Page {views[-1]['view']['pages'][0]['page']} of 52"
    assert "Gaming revenue" in page.locator("#citation-panel .viewer-quote").inner_text()
    shot(page, "citation-pdf")
    small = image.bounding_box()["width"]
    page.get_by_role("button", name="Zoom in").click()
    _until(page, "() => { const i = document.querySelector('#citation-panel .viewer-image');"
                 " return Boolean(i.dataset.large && i.complete && i.naturalWidth > 0); }")
    assert image.bounding_box()["width"] > 1.9 * small
    _assert_boxes_drawn(page, image, expected)  # the boxes scale with the image
    shot(page, "citation-pdf-zoomed")

    page.keyboard.press("Escape")
    assert page.locator("#citation-panel").is_hidden()
    assert page.evaluate("document.activeElement === document.querySelector('.chips .chip')")
    chip.press("Enter")  # by keyboard again: the chip is a button
    page.locator("#citation-panel .viewer-box").first.wait_for()


def test_an_xlsx_citation_highlights_its_cells(page: Any, shot: Callable[[Any, str], Any]) -> None:
    sign_up(page)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Stock"
    sheet.append(["SKU", "Depot", "Units"])
    for row in [("KX-19", "Tallinn", 120), ("KX-19", "Riga", 75), ("KX-22", "Tallinn", 340), ("KX-22", "Riga", 410)]:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    document_id = upload_processed(page, "stock.xlsx", data.getvalue())
    _ask_and_open_first_citation(page, document_id, "How many units of KX-22 are at the Riga depot?")
    cells = page.locator("#citation-panel td.cited")
    cells.first.wait_for()
    assert cells.all_inner_texts() == ["KX-22", "Riga", "410"]
    assert [c.get_attribute("data-cell") for c in cells.all()] == ["A5", "B5", "C5"]
    assert page.locator("#citation-panel td.cited mark").count() == 3
    assert page.locator("#citation-panel caption").inner_text() == "Sheet Stock, cells A2:C5"  # the range shown
    shot(page, "citation-xlsx")


def test_a_docx_citation_marks_its_passage(page: Any, shot: Callable[[Any, str], Any]) -> None:
    sign_up(page)
    word = docx.Document()
    word.add_heading("Payment terms", level=1)
    word.add_paragraph("Invoices are payable within 30 days of receipt. Late payments incur a fee of 2% per month.")
    word.add_heading("Office", level=1)
    word.add_paragraph("The Berlin office opens at 9 am and closes at 6 pm on weekdays.")
    data = io.BytesIO()
    word.save(data)
    document_id = upload_processed(page, "terms.docx", data.getvalue())
    _ask_and_open_first_citation(page, document_id, "Within how many days are invoices payable?")
    mark = page.locator("#citation-panel .viewer-section mark")
    mark.first.wait_for()
    assert "payable within 30 days" in " ".join(mark.all_inner_texts())
    assert page.locator("#citation-panel .viewer-heading").all_inner_texts() == ["Payment terms"]
    assert page.locator("#citation-panel .viewer-section-title").count() == 0  # the heading is its title
    assert "Berlin" not in page.locator("#citation-panel .viewer-section").inner_text()  # not the next section
    shot(page, "citation-docx")


def test_a_text_citation_marks_its_lines(page: Any, shot: Callable[[Any, str], Any]) -> None:
    sign_up(page)
    document_id = upload_processed(page, "notes.md", NOTES.encode())
    _ask_and_open_first_citation(page, document_id, "When are invoices payable?")
    cited = page.locator("#citation-panel .viewer-lines li.cited")
    cited.first.wait_for()
    assert any("payable within 30 days" in text for text in cited.all_inner_texts())
    assert cited.first.get_attribute("value") is not None  # numbered as in the file
    shot(page, "citation-text")


def test_a_recording_plays_from_the_cited_second(page: Any, tmp_path: Path) -> None:
    sign_up(page)
    document_id = upload_processed(page, "voice.wav", spoken_wav("the invoice is payable within thirty days", tmp_path))
    chunk = page.request.get(f"/api/v1/documents/{document_id}/chunks").json()["items"][0]
    page.goto(f"/ask?document={document_id}")
    citation = {"number": 1, "label": "recording", "document_id": document_id, "chunk_ordinal": 0,
                "quote": chunk["text"][:300]}
    page.evaluate("""async (citation) => {
        const { showCitation } = await import('/static/js/viewer.js');
        await showCitation(document.getElementById('citation-panel'), citation); }""", citation)
    audio = page.locator("#citation-panel audio.viewer-audio")
    audio.wait_for()
    start = chunk["locators"][0]["start_seconds"]
    assert audio.get_attribute("src").endswith(f"/api/v1/documents/{document_id}/file#t={start:g}")
    _until(page, "() => document.querySelector('#citation-panel audio').readyState >= 1")  # it read the file
    assert abs(page.evaluate("document.querySelector('#citation-panel audio').currentTime") - start) < 0.5
