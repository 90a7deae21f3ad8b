"""Citations map to the right locators on real corpus documents (an SEC 10-Q page, a workbook
cell range, a DOCX section): with the offline model, and with a scripted answer through the
Gemini adapter (real google-genai SDK) against a local server speaking Gemini's API.

Ingestion is real (the PDF, XLSX and DOCX extractors); persistence, storage and queue are the
contract-tested fakes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from adapters.extractors.docx import DocxExtractor
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.registry import ExtractorMap
from adapters.extractors.text import PlainTextExtractor
from adapters.extractors.xlsx import XlsxExtractor
from adapters.llm.fallback import FallbackLanguageModel
from adapters.llm.offline import OfflineLanguageModel
from adapters.text.snowball import SnowballAnalyzer
from application.use_cases.upload_document import UploadDocumentCommand
from domain.documents import DocumentStatus
from domain.users import Tier
from tests.corpus import corpus_path
from tests.llm_stubs import Reply, StubServer, gemini_answer, gemini_error, gemini_model
from tests.unit.conftest import World

NVDA = "pdf/sec-10q/2023-Q3-NVDA.pdf"
GAMING = "What was Gaming revenue for the third quarter of fiscal year 2024?"


def ready(world: World, relative: str):  # noqa: ANN201
    world.extractors = ExtractorMap([PdfExtractor(), XlsxExtractor(), DocxExtractor(), PlainTextExtractor()])
    user = world.add_user(tier=Tier.ENTERPRISE)
    path = corpus_path(relative)
    document = world.upload_use_case()(UploadDocumentCommand(user_id=user.id, filename=path.name,
                                                             data=path.read_bytes())).document
    world.process_use_case()(document.id)
    document = world.document(document.id)
    assert document.status is DocumentStatus.COMPLETED, document.error_message
    return user, document


@pytest.fixture(scope="module")
def nvda() -> tuple[World, object, object]:
    """The NVIDIA 10-Q ingested once for the module (table extraction takes a while)."""
    world = World()
    user, document = ready(world, NVDA)
    return world, user, document


@pytest.fixture
def filing(nvda: tuple[World, object, object]):  # noqa: ANN201
    """The ingested filing with a fresh answer cache, and the model restored after the test."""
    world, user, document = nvda
    world.cache.items.clear()
    model = world.llm
    yield world, user, document
    world.llm = model


def ask(world: World, user, question: str):  # noqa: ANN001, ANN201
    return world.ask(user, question)


def ask_offline(relative: str, question: str):  # noqa: ANN201
    """Ingest one corpus file in a fresh world and ask the offline model about it."""
    world = World()
    world.llm = OfflineLanguageModel(SnowballAnalyzer())
    user, _ = ready(world, relative)
    return ask(world, user, question)


# --- the offline model ---------------------------------------------------------------------------


def test_offline_answer_from_a_10q_cites_its_page(filing) -> None:  # noqa: ANN001
    world, user, _ = filing
    world.llm = OfflineLanguageModel(SnowballAnalyzer())
    conversation = ask(world, user, GAMING)
    assert "$2.86 billion" in conversation.answer
    first = conversation.citations[0]
    assert [loc.page for loc in first.locators] == [28]
    assert "$2.86 billion" in first.quote and first.label == "page 28"


def test_offline_answer_from_a_workbook_cites_its_cell_range() -> None:
    conversation = ask_offline("xlsx/simple-monthly-budget.xlsx", "How much is budgeted for Miscellaneous?")
    assert "Miscellaneous" in conversation.answer
    [locator] = conversation.citations[0].locators
    assert (locator.sheet, locator.cells) == ("Simple Monthly Budget", "A23:H23")
    assert conversation.citations[0].label == "Simple Monthly Budget!A23:H23"


def test_offline_answer_from_a_docx_cites_its_section() -> None:
    conversation = ask_offline("docx/heading123.docx", "What about Curabitur bibendum?")
    assert "Curabitur bibendum" in conversation.answer
    assert conversation.citations[0].label == 'section "First paragraph", paragraph 2'


# --- a scripted answer through the Gemini adapter ------------------------------------------------


def cite_the_source_holding(needle: str, *, also: int | None = None):  # noqa: ANN201
    """A Gemini reply that cites whichever numbered source holds ``needle`` (and ``also``, a number)."""
    def reply(body: Any) -> Reply:
        prompt = body["contents"][0]["parts"][0]["text"]
        blocks = re.split(r"\n\n(?=\[\d+\] \()", prompt.split("Sources:\n\n", 1)[1])
        number = next(int(re.match(r"\[(\d+)\]", b).group(1)) for b in blocks if needle in b)
        extra = f" See also [{also}]." if also else ""
        return gemini_answer(f"Gaming revenue was {needle} in the quarter [{number}].{extra}",
                             tokens_in=9000, tokens_out=20)
    return reply


def test_gemini_answer_citations_map_to_the_10q_page_and_unknown_numbers_are_dropped(filing) -> None:  # noqa: ANN001
    world, user, document = filing
    with StubServer([cite_the_source_holding("$2.86 billion", also=99)]).running() as server:
        world.llm = gemini_model(server)
        conversation = ask(world, user, GAMING)
    assert conversation.answer.startswith("Gaming revenue was $2.86 billion in the quarter [")
    [citation] = conversation.citations  # [99] was not among the sources: dropped
    assert citation.label == "page 28" and citation.document_id == document.id
    assert (conversation.tokens_in, conversation.tokens_out, conversation.model) == (9000, 20, "gemini-2.5-flash")
    assert conversation.cost_usd == pytest.approx((9000 * 0.30 + 20 * 2.50) / 1e6)
    # only the budget's worth of the filing was sent, not the whole document
    sent = server.requests[0].body["contents"][0]["parts"][0]["text"]
    assert len(sent) < len("".join(c.text for c in world.store.chunks[document.id])) / 5


def test_gemini_overloaded_falls_back_to_offline_and_the_answer_still_cites_the_page(filing) -> None:  # noqa: ANN001
    world, user, _ = filing
    with StubServer([gemini_error(503)], repeat_last=True).running() as server:
        gemini = gemini_model(server)
        world.llm = FallbackLanguageModel([gemini, OfflineLanguageModel(SnowballAnalyzer())], max_retries=1, sleep=lambda s: None)
        conversation = ask(world, user, GAMING)
    assert len(server.requests) == 2
    assert conversation.model == "offline-extractive" and conversation.cost_usd == 0
    assert conversation.citations[0].label == "page 28"
    assert world.cache.items == {}  # a fallback's answer is not cached under Gemini's name
