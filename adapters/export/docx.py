"""DOCX through python-docx: a heading per question, the answer with its citation markers in
superscript, then its notes ("[1] p. 3 · invoices.pdf — “quoted passage”") in a smaller size.
python-docx writes no Word footnote part, so the notes stand under each answer, numbered as the
answer's markers are."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt, RGBColor

from application.ports.export_renderer import EMPTY_TEXT, ConversationExport, ExportedTurn
from adapters.export.text import about, clean, footnote, header_lines, pieces

GREY = RGBColor(0x59, 0x59, 0x59)


class DocxExportRenderer:
    """Implements application.ports.export_renderer.ExportRenderer."""

    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    extension = "docx"

    def render(self, export: ConversationExport) -> bytes:
        document = Document()
        document.core_properties.title = clean(export.title)[:255]
        document.add_heading(clean(export.title), level=0)
        for line in header_lines(export):
            _small(document.add_paragraph(), line)
        if export.empty:
            document.add_paragraph(EMPTY_TEXT).runs[0].italic = True
        several = len(export.threads) > 1 or bool(export.period)
        for thread in export.threads:
            if several:
                document.add_heading(clean(thread.title), level=1)
                _small(document.add_paragraph(), about(thread))
            for n, turn in enumerate(thread.turns, 1):
                _turn(document, turn, n, level=2 if several else 1)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _turn(document: Document, turn: ExportedTurn, n: int, *, level: int) -> None:
    document.add_heading(f"{n}. {' '.join(clean(turn.question).split())}", level=level)
    _small(document.add_paragraph(), f"Asked {turn.asked_at:%Y-%m-%d %H:%M} UTC")
    for block in clean(turn.answer).split("\n\n") or [""]:
        paragraph = document.add_paragraph()
        for text, number in pieces(block):
            run = paragraph.add_run(text)
            run.font.superscript = number is not None
    if turn.citations:
        _small(document.add_paragraph(), "Sources").bold = True
    for citation in turn.citations:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        _small(paragraph, f"[{citation.number}] ").bold = True
        _small(paragraph, footnote(citation))


def _small(paragraph, text: str):  # type: ignore[no-untyped-def]  # python-docx is untyped
    run = paragraph.add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = GREY
    return run
