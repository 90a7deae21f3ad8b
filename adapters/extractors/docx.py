"""Word (.docx): paragraphs and tables in body order, headings kept as a section path.

The package passes the zip guards first (adapters.extractors.zip_guard); python-docx's lxml
parser does not resolve entities, and DTDs are refused before it runs anyway. A heading is a
paragraph styled "Title" or "Heading N"; each segment carries the path of headings above it
("2 Terms > 2.3 Payment terms") and its 1-based block number in the body. A table is Markdown
cut into blocks of rows that each repeat its header row (adapters.extractors.markdown)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from adapters.extractors.markdown import markdown_blocks
from adapters.extractors.zip_guard import open_zip
from application.ports.extractor import Budget, Extraction, ProgressCallback
from domain.chunks import Segment
from domain.documents import DocumentKind
from domain.errors import FileCorrupt, NoTextFound
from domain.locators import Locator

_PROGRESS_STEPS = 10
_T, _P = qn("w:t"), qn("w:p")


class DocxExtractor:
    """Implements application.ports.extractor.Extractor for DOCX."""

    kinds = frozenset({DocumentKind.DOCX})
    name = "docx"
    version = "2"

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None,
                budget: Budget | None = None) -> Extraction:
        budget = budget or Budget()
        open_zip(data).close()  # the guards only: python-docx opens the package itself
        try:
            document = docx.Document(io.BytesIO(data))
            blocks = list(document.iter_inner_content())
            style_names = {style.style_id: style.name or "" for style in document.styles}
        except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors ...
            raise FileCorrupt("The Word document is damaged and cannot be read.") from error
        segments = list(_segments(blocks, style_names, budget, progress))
        if not segments:
            raise NoTextFound("The Word document contains no text.")
        return Extraction(segments=segments)


def _segments(blocks: list[Paragraph | Table], style_names: dict[str, str], budget: Budget,
              progress: ProgressCallback | None) -> Iterator[Segment]:
    headings: list[tuple[int, str]] = []
    step = max(1, len(blocks) // _PROGRESS_STEPS)
    for number, block in enumerate(blocks, start=1):
        if number % step == 0:
            budget.check_time()
            if progress is not None:
                progress(number, len(blocks))
        if isinstance(block, Table):  # a long table in blocks that each repeat its header
            texts = markdown_blocks(_table_rows(block))
        else:
            texts = [block.text.strip()]
            level = _heading_level(style_names.get(block._p.style or "", ""))  # noqa: SLF001
            if level is not None and texts[0]:
                headings = [h for h in headings if h[0] < level] + [(level, texts[0])]
        section = " > ".join(h[1] for h in headings) or None
        for text in texts:
            if text:
                yield Segment(text=budget.add(text), locator=Locator(section=section, paragraph=number))
    if progress is not None:
        progress(len(blocks), len(blocks))


def _heading_level(name: str) -> int | None:
    """0 for the title, N for "Heading N"; python-docx's paragraph.style is slow (a scan per call)."""
    if name == "Title":
        return 0
    if name.startswith("Heading"):
        digits = name.removeprefix("Heading").strip()
        return int(digits) if digits.isdigit() else 1
    return None


def _table_rows(table: Table) -> list[list[str]]:
    """Cell texts per row, read from the XML (python-docx's row.cells is quadratic on big tables).

    A cell spanning columns (gridSpan) is one <w:tc>, so it is kept once."""
    rows = []
    for tr in table._tbl.tr_lst:  # noqa: SLF001 - python-docx's element API
        rows.append(["\n".join("".join(t.text or "" for t in p.iter(_T)) for p in tc.iter(_P))
                     for tc in tr.tc_lst])
    return rows
