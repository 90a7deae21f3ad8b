"""PDF through fpdf2, in Noto Sans (the fontpkg-noto-sans package: Latin, Cyrillic, Greek; a
character the font lacks, CJK say, is left out with a warning from fpdf2). The font file is a
variable font; its default instance (Regular) is embedded as it is, subset to the characters used,
which takes milliseconds (instancing a bold one with fontTools takes seconds), so headings are set
larger and emboldened by stroking the glyphs' outlines."""

from __future__ import annotations

import logging
from pathlib import Path

import fontpkg_noto_sans
from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from application.ports.export_renderer import EMPTY_TEXT, ConversationExport, ExportedTurn
from adapters.export.text import about, clean, footnote, header_lines

FONT = "NotoSans"
FONT_FILE = Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf"
BODY, SMALL = 10.5, 8.5
logging.getLogger("fpdf").setLevel(logging.ERROR)  # "font is missing the following glyphs" per character


class PdfExportRenderer:
    """Implements application.ports.export_renderer.ExportRenderer."""

    media_type = "application/pdf"
    extension = "pdf"

    def render(self, export: ConversationExport) -> bytes:
        pdf = FPDF(format="A4")
        pdf.set_title(clean(export.title))
        pdf.set_creator("AI Business Assistant")
        pdf.add_font(FONT, fname=FONT_FILE)
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        _line(pdf, export.title, 18, bold=True)
        for line in header_lines(export):
            _line(pdf, line, SMALL, grey=True)
        pdf.ln(3)
        if export.empty:
            _line(pdf, EMPTY_TEXT, BODY)
        several = len(export.threads) > 1 or bool(export.period)
        for thread in export.threads:
            if several:
                pdf.ln(2)
                _line(pdf, thread.title, 14, bold=True)
                _line(pdf, about(thread), SMALL, grey=True)
            for n, turn in enumerate(thread.turns, 1):
                _turn(pdf, turn, n)
        return bytes(pdf.output())


def _turn(pdf: FPDF, turn: ExportedTurn, n: int) -> None:
    pdf.ln(3)
    _line(pdf, f"{n}. {' '.join(clean(turn.question).split())}", 12, bold=True)
    _line(pdf, f"Asked {turn.asked_at:%Y-%m-%d %H:%M} UTC", SMALL, grey=True)
    pdf.ln(1)
    _line(pdf, clean(turn.answer) or "(no answer)", BODY)
    if turn.citations:
        pdf.ln(1)
        _line(pdf, "Sources", SMALL, bold=True, grey=True)
    for citation in turn.citations:
        _line(pdf, f"[{citation.number}] {footnote(citation)}", SMALL, grey=True)


def _line(pdf: FPDF, text: str, size: float, *, bold: bool = False, grey: bool = False) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(89 if grey else 0)
    if not bold:
        pdf.multi_cell(0, size * 0.5, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    # the text render mode is graphics state: set within q/Q, so that it ends with the heading
    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.25, draw_color=89 if grey else 0):
        pdf.multi_cell(0, size * 0.5, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
