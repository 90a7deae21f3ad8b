"""The citation viewer's readers (adapters.extractors.views) on real files: pdfium's character boxes
on a 10-Q page and on generated pages (wrapped, hyphenated, rotated), page rendering within the
pixel caps on the corpus's hostile pages, sheet ranges with openpyxl, Word sections with python-docx,
text lines, image frames; and the child process's memory and time caps."""

from __future__ import annotations

import io
import sys
import time

import docx
import openpyxl
import pypdfium2
import pytest
from PIL import Image

from adapters.extractors.child_call import call_in_child
from adapters.extractors.pdf_render import PixelCaps
from adapters.extractors.views import sheet_range as sheets
from adapters.extractors.views.reader import IsolatedOriginalReader
from domain.documents import DocumentKind
from domain.errors import FileCorrupt, FileTooComplex, PageNotFound
from domain.passages import fold
from tests.corpus import corpus_path
from tests.image_factory import corpus_tiff
from tests.text_pdf_factory import text_page_pdf

NVDA = "pdf/sec-10q/2023-Q3-NVDA.pdf"
GAMING = ("Gaming revenue for the third quarter of fiscal year 2024 was $2.86 billion, up 81% from a year ago "
          "and up 15% from the previous quarter. We")
MAIN_FILE, MAIN_SPEC = getattr(sys.modules["__main__"], "__file__", None), sys.modules["__main__"].__spec__
LOCAL = IsolatedOriginalReader(isolated=False)  # the reading itself, in this process
ISOLATED = IsolatedOriginalReader(memory_mb=1024)


def _inside(data: bytes, number: int, boxes) -> list[str]:  # noqa: ANN001
    """The page's text inside each box (an unrotated page whose box starts at the origin)."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[number - 1]
        width, height = page.get_size()
        textpage = page.get_textpage()
        return [textpage.get_text_bounded(left=b.x0 * width, bottom=(1 - b.y1) * height, right=b.x1 * width,
                                          top=(1 - b.y0) * height) for b in boxes]
    finally:
        pdf.close()


def test_a_10q_quote_is_boxed_on_its_line_and_nothing_else() -> None:
    data = corpus_path(NVDA).read_bytes()
    view = ISOLATED.pdf_pages(data, {28: GAMING})
    page = view.pages[0]
    assert (view.page_count, page.page, page.width, page.height, page.found) == (52, 28, 612, 792, True)
    assert len(page.boxes) == 1
    assert _inside(data, 28, page.boxes) == [GAMING]


def test_a_wrapped_hyphenated_quote_gets_a_box_per_line() -> None:
    lines = ["The quarterly inventory report was pre-", "pared by the finance team in Riga and sent",
             "to every depot manager before the audit."]
    data = text_page_pdf(612, 792, lines)
    quote = "report was prepared by the finance team in Riga and sent to every depot"
    page = LOCAL.pdf_pages(data, {1: quote}).pages[0]
    assert len(page.boxes) == 3
    inside = _inside(data, 1, page.boxes)
    assert inside[0].strip().endswith("report was pre\x02")  # pdfium's mark for a hyphen at a line end
    assert inside[2].strip() == "to every depot"  # (the spaces either side touch the box)
    assert fold(" ".join(inside))[0] == fold(quote)[0]
    tops = [b.y0 for b in page.boxes]
    assert tops == sorted(tops) and all(0 <= b.x0 < b.x1 <= 1 and 0 <= b.y0 < b.y1 <= 1 for b in page.boxes)


def _ink(png: bytes, box) -> int:  # noqa: ANN001
    """Dark pixels of the rendered page inside a normalised box."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    region = image.crop((int(box.x0 * width), int(box.y0 * height), int(box.x1 * width) + 1, int(box.y1 * height) + 1))
    return sum(region.histogram()[:128])


@pytest.mark.parametrize("rotate", [0, 90, 270])
def test_boxes_land_on_the_drawn_words_of_a_rotated_page_too(rotate: int) -> None:
    data = text_page_pdf(612, 792, ["Revenue grew in every region.", "Operating costs were flat."], rotate=rotate)
    view = LOCAL.pdf_pages(data, {1: "Operating costs were flat."})
    page = view.pages[0]
    assert (page.width, page.height) == ((612, 792) if rotate == 0 else (792, 612))
    [box] = page.boxes
    png = LOCAL.page_image(data, kind=DocumentKind.PDF, page=1, width=800)
    assert _ink(png, box) > 200  # the words are drawn inside the box
    across = box.__class__(x0=1 - box.x1, y0=1 - box.y1, x1=1 - box.x0, y1=1 - box.y0)  # the same box turned round
    assert _ink(png, across) == 0


def test_pages_are_drawn_within_the_pixel_cap_and_a_huge_image_is_refused_unread() -> None:
    enormous = ISOLATED.page_image(corpus_path("hostile/enormous.pdf").read_bytes(), kind=DocumentKind.PDF,
                                   page=1, width=2400)  # a 2160 pt page holding a 9000 x 9000 image
    assert Image.open(io.BytesIO(enormous)).size == (2400, 2400)
    with pytest.raises(FileTooComplex, match="35,000 x 35,000 pixels"):
        ISOLATED.page_image(corpus_path("hostile/hugemono.pdf").read_bytes(), kind=DocumentKind.PDF, page=1,
                            width=800)
    capped = IsolatedOriginalReader(caps=PixelCaps(max_pixels=1_000_000), isolated=False)
    tall = capped.page_image(text_page_pdf(300, 3000, ["A tall page."]), kind=DocumentKind.PDF, page=1, width=2400)
    width, height = Image.open(io.BytesIO(tall)).size
    assert width * height <= 1_000_000 and width < 2400
    with pytest.raises(FileTooComplex, match="larger than a PDF page can be"):
        LOCAL.page_image(text_page_pdf(20_000, 500, ["Wide."]), kind=DocumentKind.PDF, page=1, width=800)
    with pytest.raises(PageNotFound):
        LOCAL.pdf_pages(corpus_path(NVDA).read_bytes(), {53: "x"})
    with pytest.raises(FileCorrupt):
        LOCAL.pdf_pages(b"%PDF-1.7 not really", {1: "x"})


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes << 20))


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_the_child_process_keeps_its_memory_and_time_caps() -> None:
    assert call_in_child(_allocate, 8, memory_mb=512, seconds=30, what="a small read") == 8 << 20
    with pytest.raises(FileTooComplex, match="more than the 512 MB"):
        call_in_child(_allocate, 2048, memory_mb=512, seconds=30, what="a big read")
    with pytest.raises(FileTooComplex, match="took longer than 1 s"):
        call_in_child(_sleep, 30, memory_mb=512, seconds=1, what="a slow read")
    with pytest.raises(PageNotFound):  # a domain error raised in the child comes back as itself
        ISOLATED.pdf_pages(corpus_path(NVDA).read_bytes(), {99: "x"})
    main = sys.modules["__main__"]  # hidden while a child starts (it would import it again), then put back
    assert (getattr(main, "__file__", None), main.__spec__) == (MAIN_FILE, MAIN_SPEC)


def test_a_corpus_sheet_range_comes_with_its_header_and_formats() -> None:
    view = LOCAL.sheet_range(corpus_path("xlsx/AverageTaxRates.xlsx").read_bytes(), sheet="Avgtxfull",
                             cells="A5:F9", cited_rows=[7])
    header, *rows = view.rows
    assert header.header and header.number == 1 and "AVERAGE TAX RATES" in header.cells[2].value
    assert [r.number for r in rows] == [5, 6, 7, 8, 9] and view.columns == ("A", "B", "C", "D", "E", "F")
    assert [c.value for c in rows[2].cells] == ["15,000", "9,451", "23.0%", "20.8%", "18.0%", "13.9%"]
    assert all(c.cited for c in rows[2].cells) and not any(c.cited for r in rows if r.number != 7 for c in r.cells)


def test_a_wide_range_is_cut_and_a_formula_without_a_cached_value_shows_its_formula() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([f"h{i}" for i in range(60)])
    sheet.append(list(range(60)))
    sheet["A3"] = "=SUM(A2:B2)"
    data = io.BytesIO()
    book.save(data)
    view = LOCAL.sheet_range(data.getvalue(), sheet="Sheet", cells="A2:BH3", cited_rows=[])
    assert view.truncated and len(view.columns) == sheets.MAX_COLUMNS and view.cells == "A2:AN3"
    assert view.rows[2].cells[0].value == "=SUM(A2:B2)" and all(c.cited for r in view.rows[1:] for c in r.cells)
    with pytest.raises(FileCorrupt, match="no sheet"):
        LOCAL.sheet_range(data.getvalue(), sheet="Gone", cells="A1:B2", cited_rows=[])


def _word() -> bytes:
    word = docx.Document()
    word.add_heading("Terms", level=1)
    word.add_paragraph("These terms apply to every order.")
    word.add_heading("Payment", level=2)
    word.add_paragraph("Invoices are payable within 30 days of receipt.")
    table = word.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Fee", (0, 1): "Rate", (1, 0): "Late payment", (1, 1): "2% per month"}.items():
        table.cell(row, col).text = text
    word.add_heading("Delivery", level=2)
    word.add_paragraph("Goods ship within a week.")
    data = io.BytesIO()
    word.save(data)
    return data.getvalue()


def test_a_word_section_runs_to_the_next_heading_of_its_level_with_the_passage_marked() -> None:
    view = LOCAL.section(_word(), paragraphs=[4], quote="payable within 30 days")
    assert [(b.number, b.kind) for b in view.blocks] == [(3, "heading"), (4, "paragraph"), (5, "table")]
    cited = view.blocks[1]
    assert cited.cited and [cited.text[s:e] for s, e in cited.marks] == ["payable within 30 days"]
    table = LOCAL.section(_word(), paragraphs=[5], quote="| Late payment | 2% per month |").blocks[2]
    assert table.rows == (("Fee", "Rate"), ("Late payment", "2% per month"))
    assert [table.text[s:e] for s, e in table.marks] == ["Late payment\t2% per month"]
    whole = LOCAL.section(_word(), paragraphs=[2], quote="")
    assert view.section == "Payment" and whole.section == "Terms" and len(whole.blocks) == 7  # a level-1 section


def test_a_corpus_word_document_section() -> None:
    data = corpus_path("docx/heading123.docx").read_bytes()
    view = LOCAL.section(data, paragraphs=[6], quote="tristique scelerisque")
    assert view.section == "Third paragraph" and [b.number for b in view.blocks] == [5, 6]
    assert [view.blocks[1].text[s:e] for s, e in view.blocks[1].marks] == ["tristique scelerisque"]


def test_text_lines_mark_the_lines_holding_the_quote() -> None:
    data = "\n".join(f"line {n}: the depot at Riga holds {n * 10} pallets" for n in range(1, 21)).encode()
    view = LOCAL.text_lines(data, first=8, last=12, quote="Riga holds 100 pallets\nline 11: the depot")
    assert [line.number for line in view.lines] == list(range(5, 16))
    assert [line.number for line in view.lines if line.cited] == [10, 11]
    unquoted = LOCAL.text_lines(data, first=8, last=9, quote="nothing like it")
    assert [line.number for line in unquoted.lines if line.cited] == [8, 9]
    csv_view = LOCAL.text_lines(b"SKU,Depot,Units\nKX-19,Riga,75\nKX-22,Riga,410\n", first=2, last=3,
                                quote="SKU: KX-22; Depot: Riga; Units: 410")
    assert [line.number for line in csv_view.lines if line.cited] == [3]


def test_image_frames_are_sized_and_drawn_without_boxes() -> None:
    tiff = corpus_tiff("images/linn.png", "images/typewriter.png")
    view = ISOLATED.image_pages(tiff, [2])
    assert view.page_count == 2 and (view.pages[0].width, view.pages[0].height) == (4000, 2864)
    assert not view.pages[0].boxes
    png = ISOLATED.page_image(tiff, kind=DocumentKind.IMAGE, page=1, width=600)
    assert Image.open(io.BytesIO(png)).size == (600, 776)
    with pytest.raises(PageNotFound):
        LOCAL.image_pages(tiff, [3])
