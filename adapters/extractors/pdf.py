"""PDF: per-page text with pypdfium2, ruled tables found on pdfium's own parse
(adapters.extractors.pdf_tables) on the pages that may hold one, OCR (Tesseract) for pages
without a text layer, each OCR call limited to the time left under the document's cap.

Encrypted PDFs open with the empty user password (owner-password-only files such as SEC
filings); one that needs a real password raises PasswordRequired, and ``unlock`` removes a
password given at upload. PDFium is not thread-safe, so one lock serialises its calls."""

from __future__ import annotations

import io
import threading

import pypdfium2
import pypdfium2.raw as pdfium_c

from adapters.extractors.ocr import TesseractOcr
from adapters.extractors.pdf_tables import has_rules, looks_tabular, page_tables, path_boxes, plumber_tables
from application.ports.extractor import Budget, Extraction, ProgressCallback
from domain.chunks import Segment
from domain.documents import DocumentKind
from domain.errors import FileCorrupt, NoTextFound, PasswordRequired
from domain.locators import Locator

_PDFIUM = threading.Lock()
_MIN_TEXT = 20  # non-space characters below which a page with images is read by OCR
_OCR_SCALE = 300 / 72
_PROGRESS_STEPS = 50


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
    version = "2"

    def __init__(self, ocr: TesseractOcr | None = None, tables: bool = True) -> None:
        self.ocr = ocr
        self.tables = tables

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
                texts, tables, textless = self._pages(pdf, budget, progress)
                ocr_note = self._read_textless(pdf, texts, textless, budget)
            finally:
                pdf.close()
        tables.update(plumber_tables(data, [i for i, found in tables.items() if found is None]))
        segments = []
        for index, text in enumerate(texts):
            locator = Locator(page=index + 1)
            if text.strip():
                segments.append(Segment(text=text, locator=locator))
            segments += [Segment(text=budget.add(t), locator=locator) for t in tables.get(index) or []]
        if not segments:
            raise NoTextFound("No text was found in this PDF." + (f" {ocr_note}" if ocr_note else ""))
        return Extraction(segments=segments, page_count=len(texts), notes=(ocr_note,) if ocr_note else ())

    def _pages(self, pdf: pypdfium2.PdfDocument, budget: Budget,
               progress: ProgressCallback | None) -> tuple[list[str], dict[int, list[str] | None], list[int]]:
        total = len(pdf)
        budget.check_pages(total)
        step = max(1, total // _PROGRESS_STEPS)
        texts: list[str] = []
        tables: dict[int, list[str] | None] = {}  # None: a rotated page, left to pdfplumber
        textless: list[int] = []
        for index in range(total):
            budget.page()
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "")
            texts.append(budget.add(text))
            if len("".join(text.split())) < _MIN_TEXT and _has_images(page):
                textless.append(index)
            elif self.tables:
                tables[index] = self._tables(page, textpage, text)
            textpage.close()
            page.close()
            if progress is not None and ((index + 1) % step == 0 or index + 1 == total):
                progress(index + 1, total)
        return texts, tables, textless

    @staticmethod
    def _tables(page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage, text: str) -> list[str] | None:
        """The page's Markdown tables; None for a rotated page that may hold one (left to pdfplumber)."""
        if not looks_tabular(text):
            return []
        width, height = page.get_size()
        boxes = path_boxes(page, height)
        if not has_rules(boxes, width, height):
            return []
        return page_tables(textpage, boxes, height) if page.get_rotation() == 0 else None

    def _read_textless(self, pdf: pypdfium2.PdfDocument, texts: list[str], textless: list[int],
                       budget: Budget) -> str | None:
        if not textless:
            return None
        pages = ", ".join(str(i + 1) for i in textless)
        if self.ocr is None or not self.ocr.available():
            return f"Pages without a text layer were not read (OCR is not installed): {pages}."
        for index in textless:
            budget.check_time()
            page = pdf[index]
            image = page.render(scale=_OCR_SCALE, grayscale=True).to_pil()
            png = io.BytesIO()
            image.save(png, format="PNG")
            page.close()
            text = self.ocr.image_to_text(png.getvalue(), timeout=budget.remaining_seconds())
            budget.check_time()  # a page that ran out of time fails the document, not just the page
            texts[index] = budget.add(text.strip())
        return f"Pages read by OCR: {pages}."


def _has_images(page: pypdfium2.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
