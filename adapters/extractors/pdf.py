"""PDF: per-page text with pypdfium2; on the pages that may hold a table, the tables read from the
words' geometry (adapters.extractors.pdf_layout), each once, as Markdown blocks that repeat its
header, in the page's text where the table stands (its words taken out of the text). Ruled tables
found on pdfium's own parse (adapters.extractors.pdf_tables) are kept where no such table covers
them (tables of words, figures), their words taken out of the text when each of them is in the
Markdown (else the text stays whole and the table follows it). Rotated pages (pdfium reports their
objects unrotated): the page's text, then pdfplumber's tables. OCR (Tesseract) for pages without
a text layer, each OCR call limited to the time left under the document's cap, each page image
within the pixel caps of adapters.extractors.pdf_render (a page whose image is over the cap is left
unread with a note; a document left with no text for that reason is FileTooComplex).

Encrypted PDFs open with the empty user password (owner-password-only files such as SEC
filings); one that needs a real password raises PasswordRequired, and ``unlock`` removes a
password given at upload. PDFium is not thread-safe, so one lock serialises its calls."""

from __future__ import annotations

import io
import threading
from collections import Counter

import pypdfium2
import pypdfium2.raw as pdfium_c

from adapters.extractors.ocr import TesseractOcr
from adapters.extractors.pdf_grid import Box
from adapters.extractors.markdown import table_blocks
from adapters.extractors.pdf_layout import layout_tables, may_hold_table, ruled_tables, splice
from adapters.extractors.pdf_render import OcrRefused, PixelCaps, page_png
from adapters.extractors.pdf_tables import has_rules, looks_tabular, path_boxes, plumber_tables
from adapters.extractors.pdf_words import page_words, rules_of
from adapters.extractors.thumbnails import pdf_thumbnail
from application.ports.extractor import Budget, Extraction, ProgressCallback
from domain.chunks import Segment
from domain.documents import DocumentKind
from domain.errors import FileCorrupt, FileTooComplex, NoTextFound, PasswordRequired
from domain.locators import Locator

_PDFIUM = threading.Lock()
_MIN_TEXT = 20  # non-space characters below which a page with images is read by OCR
_PROGRESS_STEPS = 50
_COVERED = 0.5  # of the smaller box's area: two tables sharing that much are one


def open_pdf(data: bytes, password: str | None = None) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(data, password=password)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise PasswordRequired("This PDF is protected by a password; upload it again with the password."
                                   if password is None else "The password for this PDF is wrong.") from error
        raise FileCorrupt("The PDF is damaged or truncated and cannot be read.") from error


class PdfExtractor:
    """Implements application.ports.extractor.Extractor for PDF."""

    kinds = frozenset({DocumentKind.PDF})
    name = "pdf"
    version = "3"

    def __init__(self, ocr: TesseractOcr | None = None, tables: bool = True, caps: PixelCaps = PixelCaps()) -> None:
        self.ocr = ocr
        self.tables = tables
        self.caps = caps

    def unlock(self, data: bytes, *, password: str) -> bytes:
        with _PDFIUM:
            pdf = open_pdf(data, password)
            buffer = io.BytesIO()
            pdf.save(buffer, flags=pdfium_c.FPDF_REMOVE_SECURITY)
            pdf.close()
        return buffer.getvalue()

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None,
                budget: Budget | None = None) -> Extraction:
        budget = budget or Budget()
        with _PDFIUM:
            pdf = open_pdf(data)
            try:
                texts, spliced, rotated, textless = self._pages(pdf, budget, progress)
                ocr_note, refused = self._read_textless(pdf, texts, textless, budget)
                thumbnail = self._thumbnail(pdf)
            except pypdfium2.PdfiumError as error:  # a page pdfium cannot load (found by `make fuzz`)
                raise FileCorrupt("The PDF is damaged: one of its pages cannot be read.") from error
            finally:
                pdf.close()
        tables = plumber_tables(data, rotated)
        segments = []
        for index, text in enumerate(texts):
            pieces = spliced.get(index) or [text, *[budget.add(t) for t in tables.get(index, [])]]
            segments += [Segment(text=piece, locator=Locator(page=index + 1)) for piece in pieces if piece.strip()]
        if not segments and refused:
            raise FileTooComplex(f"This PDF was not read: {refused[0]}.", pages=len(refused))
        if not segments:
            raise NoTextFound("No text was found in this PDF." + (f" {ocr_note}" if ocr_note else ""))
        return Extraction(segments=segments, page_count=len(texts), notes=(ocr_note,) if ocr_note else (),
                          thumbnail=thumbnail)

    def _thumbnail(self, pdf: pypdfium2.PdfDocument) -> bytes | None:
        if len(pdf) == 0:
            return None
        page = pdf[0]
        try:
            return pdf_thumbnail(page, self.caps)
        finally:
            page.close()

    def _pages(self, pdf: pypdfium2.PdfDocument, budget: Budget, progress: ProgressCallback | None
               ) -> tuple[list[str], dict[int, list[str]], list[int], list[int]]:
        """Each page's text; the segments' texts of the pages read for tables (their text with their
        tables); the rotated pages with rules (left to pdfplumber); the pages without a text layer."""
        total = len(pdf)
        budget.check_pages(total)
        step = max(1, total // _PROGRESS_STEPS)
        texts: list[str] = []
        spliced: dict[int, list[str]] = {}
        rotated: list[int] = []
        textless: list[int] = []
        for index in range(total):
            budget.page()
            page = pdf[index]
            textpage = page.get_textpage()
            raw = textpage.get_text_range()
            text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "")
            texts.append(budget.add(text))
            if len("".join(text.split())) < _MIN_TEXT and _has_images(page):
                textless.append(index)
            elif self.tables and looks_tabular(text):
                pieces = self._tables(page, textpage, raw, text, budget)
                if pieces is None:
                    rotated.append(index)
                else:
                    spliced[index] = pieces
            textpage.close()
            page.close()
            if progress is not None and ((index + 1) % step == 0 or index + 1 == total):
                progress(index + 1, total)
        return texts, spliced, rotated, textless

    @staticmethod
    def _tables(page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage, raw: str, text: str,
                budget: Budget) -> list[str] | None:
        """The page's text pieces and tables in order (``raw``: pdfium's text, ``text`` cleaned); None
        for a rotated page with rules."""
        width, height = page.get_size()
        boxes = path_boxes(page, height)
        ruled = has_rules(boxes, width, height)
        if page.get_rotation() != 0:
            return None if ruled else [text]
        words = page_words(textpage, raw, height) if may_hold_table(text) else []
        found = layout_tables(words, rules_of(boxes)) if words else []
        kept = [t.box for t in found]

        def covered(box: Box) -> bool:  # a grid over a table kept is that table, or a part of it: not read
            if any(_overlap(box, k) for k in kept):
                return True
            kept.append(box)
            return False

        grids = ruled_tables(textpage, boxes, height, covered) if ruled else []
        words = words or (page_words(textpage, raw, height) if grids else [])
        items = [(t.spans, [budget.add(b) for b in table_blocks(t.table)]) for t in found]
        taken = {span for t in found for span in t.spans}
        for box, markdown in grids:
            x0, top, x1, bottom = box
            inside = [(w.start, w.end) for w in words if w.x0 < x1 and w.x1 > x0 and w.top < bottom and w.bottom > top
                      and (w.start, w.end) not in taken and _overlap((w.x0, w.top, w.x1, w.bottom), box, inner=True)]
            said = Counter(token for s, e in inside for token in raw[s:e].replace("\ufffe", "").split())
            inside = inside if not said - Counter(markdown.replace("\\|", "|").split()) else []
            items.append((inside, [budget.add(markdown)]))
            taken.update(inside)
        pieces = splice(raw, items)
        pieces += [markdown for spans, texts in items if not spans for markdown in texts]
        return [text for piece in pieces for text in ([piece] if isinstance(piece, str) else piece)]

    def _read_textless(self, pdf: pypdfium2.PdfDocument, texts: list[str], textless: list[int],
                       budget: Budget) -> tuple[str | None, list[str]]:
        """The OCR note, and why each page over an image cap was left unread."""
        if not textless:
            return None, []
        pages = ", ".join(str(i + 1) for i in textless)
        if self.ocr is None or not self.ocr.available():
            return f"Pages without a text layer were not read (OCR is not installed): {pages}.", []
        read, refused = [], []
        for index in textless:
            budget.check_time()
            page = pdf[index]
            try:
                png = page_png(page, index + 1, self.caps)
            except OcrRefused as refusal:
                refused.append(refusal.reason)
                continue
            finally:
                page.close()
            text = self.ocr.image_to_text(png, timeout=budget.remaining_seconds())
            del png
            budget.check_time()  # a page that ran out of time fails the document, not just the page
            texts[index] = budget.add(text.strip())
            read.append(str(index + 1))
        notes = [f"Pages read by OCR: {', '.join(read)}." if read else "",
                 f"Not read: {'; '.join(refused)}." if refused else ""]
        return " ".join(n for n in notes if n), refused


def _overlap(a: Box, b: Box, inner: bool = False) -> bool:
    """``a`` and ``b`` share ``_COVERED`` of the smaller one's area (of ``a``'s when ``inner``)."""
    width, height = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    area = (a[2] - a[0]) * (a[3] - a[1])
    if not inner:
        area = min(area, (b[2] - b[0]) * (b[3] - b[1]))
    return width > 0 and height > 0 and width * height >= _COVERED * area


def _has_images(page: pypdfium2.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
