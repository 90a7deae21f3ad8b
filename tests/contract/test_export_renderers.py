"""Every export format renders the same thread, read back as its readers would: Markdown and JSON
as text, DOCX opened again with python-docx, PDF with pypdfium2. Each must hold the title, every
question and answer, every citation's number, locator label and quoted passage, Russian text as
it is; an empty export is a valid file saying there is no question yet."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime

import docx
import pypdfium2
import pytest

from adapters.export.registry import ExportRendererMap
from application.ports.export_renderer import (EMPTY_TEXT, ConversationExport, ExportedCitation, ExportedThread,
                                               ExportedTurn)
from application.use_cases.export_threads import FORMATS
from domain.errors import InvalidInput

NOW = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
CITATIONS = (
    ExportedCitation(number=1, label="page 3", quote="Invoices are payable within 30 days of delivery.",
                     document="terms.pdf"),
    ExportedCitation(number=2, label="Stock!B2:C4", quote="KX-19 at Riga: 120 units.", document="stock.xlsx"),
    ExportedCitation(number=3, label="paragraph 7", quote="Срок поставки составляет десять рабочих дней.",
                     document="договор.docx"),
)
TURNS = (
    ExportedTurn(question="When are invoices due?", answer="Within 30 days of delivery [1].", asked_at=NOW,
                 model="offline", citations=CITATIONS[:1]),
    ExportedTurn(question="And how many KX-19 units are at Riga?", answer="120 units [2].", asked_at=NOW,
                 model="offline", citations=CITATIONS[1:2]),
    ExportedTurn(question="Какой срок поставки?", answer="Десять рабочих дней [3].\n\nСм. договор.",
                 asked_at=NOW, model="offline", citations=CITATIONS[2:]),
)
THREAD = ExportedThread(id=uuid.uuid4(), title="Условия поставки и оплаты", scope="documents",
                        documents=("terms.pdf", "stock.xlsx", "договор.docx"), created_at=NOW, updated_at=NOW,
                        turns=TURNS)
EXPORT = ConversationExport(title=THREAD.title, generated_at=NOW, threads=(THREAD,))
EMPTY = ConversationExport(title="Пустая беседа", generated_at=NOW,
                           threads=(ExportedThread(id=uuid.uuid4(), title="Пустая беседа", scope="library",
                                                   documents=(), created_at=NOW, updated_at=NOW),))


def read_back(format: str, data: bytes) -> str:
    """The file's text as its reader gets it."""
    if format in ("md", "json"):
        text = data.decode("utf-8")
        if format == "json":
            json.loads(text)
        return text
    if format == "docx":
        document = docx.Document(io.BytesIO(data))
        return "\n".join(p.text for p in document.paragraphs)
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _flat(text: str) -> str:
    """Lines joined (PDF wraps long lines) and Markdown's backslash escapes and JSON's own left as text."""
    return " ".join(text.replace("\\", "").split())


@pytest.fixture(scope="module")
def renderers() -> ExportRendererMap:
    return ExportRendererMap()


@pytest.mark.parametrize("format", FORMATS)
def test_every_citation_is_there_with_its_label_and_quote(renderers: ExportRendererMap, format: str) -> None:
    renderer = renderers.renderer(format)
    assert renderer.extension == format and renderer.media_type
    text = _flat(read_back(format, renderer.render(EXPORT)))
    assert THREAD.title in text
    for turn in TURNS:
        assert _flat(turn.question) in text
    for citation in CITATIONS:
        assert citation.label in text and citation.quote in text and citation.document in text
        if format != "json":
            assert f"[{citation.number}] {citation.label}" in text, (format, citation.number)
    assert "Десять рабочих дней" in text  # Cyrillic as it is


def test_json_is_the_thread_as_data(renderers: ExportRendererMap) -> None:
    data = json.loads(renderers.renderer("json").render(EXPORT))
    (thread,) = data["threads"]
    assert thread["id"] == str(THREAD.id) and thread["scope"] == "documents"
    assert [t["question"] for t in thread["turns"]] == [t.question for t in TURNS]
    assert thread["turns"][1]["citations"] == [{"number": 2, "label": "Stock!B2:C4", "document": "stock.xlsx",
                                                "quote": "KX-19 at Riga: 120 units."}]


def test_markdown_citations_are_footnotes(renderers: ExportRendererMap) -> None:
    text = renderers.renderer("md").render(EXPORT).decode()
    assert "Within 30 days of delivery [^1-1]." in text
    assert "[^1-1]: [1] page 3 · terms.pdf — “Invoices are payable within 30 days of delivery.”" in text
    assert text.count("[^3-3]") == 2  # the reference and its footnote


def test_docx_marks_citations_in_superscript(renderers: ExportRendererMap) -> None:
    document = docx.Document(io.BytesIO(renderers.renderer("docx").render(EXPORT)))
    marks = [run.text for p in document.paragraphs for run in p.runs if run.font.superscript]
    assert marks == ["[1]", "[2]", "[3]"]
    assert document.core_properties.title == THREAD.title


@pytest.mark.parametrize("format", FORMATS)
def test_an_empty_export_is_a_valid_file_saying_so(renderers: ExportRendererMap, format: str) -> None:
    text = read_back(format, renderers.renderer(format).render(EMPTY))
    assert "Пустая беседа" in text
    if format == "json":
        assert json.loads(text)["threads"][0]["turns"] == []
    else:
        assert EMPTY_TEXT in text


def test_a_long_thread_with_odd_text_renders_on_several_pdf_pages(renderers: ExportRendererMap) -> None:
    odd = ExportedTurn(question="Control\x00 characters\x07 and a very long token?",
                       answer="x" * 2_000 + " [1] 中文 emoji 🙂 [9]", asked_at=NOW, model="offline",
                       citations=CITATIONS[:1])
    many = ConversationExport(title="Long", generated_at=NOW,
                              threads=(ExportedThread(id=uuid.uuid4(), title="Long", scope="library", documents=(),
                                                      created_at=NOW, updated_at=NOW, turns=(odd, *TURNS * 40)),))
    for format in FORMATS:
        text = read_back(format, renderers.renderer(format).render(many))
        assert "Какой срок поставки?" in text
    pdf = pypdfium2.PdfDocument(renderers.renderer("pdf").render(many))
    assert len(pdf) > 3
    pdf.close()


def test_an_unknown_format_has_no_renderer(renderers: ExportRendererMap) -> None:
    with pytest.raises(InvalidInput) as raised:
        renderers.renderer("txt")
    assert all(f in raised.value.message for f in FORMATS)
