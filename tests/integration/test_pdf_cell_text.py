"""Skipping the cells of a column whose whole strip reads empty gives exactly the texts of
reading every cell (pdfium picks characters whose box meets the rectangle: monotone in it)."""

from __future__ import annotations

import pypdfium2
import pytest

from adapters.extractors.pdf_grid import find_tables
from adapters.extractors.pdf_tables import _CellReader, _cell_texts, has_rules, looks_tabular, path_boxes
from tests.corpus import corpus_path

_FILES = ["pdf/sec-10q/2023-Q2-AAPL.pdf", "pdf/sec-10q/2023-Q3-NVDA.pdf", "pdf/tables/nics-background-checks-2015-11.pdf",
          "pdf/tables/chelsea_pdta.pdf"]


@pytest.mark.parametrize("relative", _FILES)
def test_column_skipping_reads_the_same_texts_as_every_cell(relative: str) -> None:
    pdf = pypdfium2.PdfDocument(corpus_path(relative).read_bytes())
    tables = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            width, height = page.get_size()
            boxes = path_boxes(page, height)
            if looks_tabular(textpage.get_text_range()) and has_rules(boxes, width, height):
                read = _CellReader(textpage, height)
                for rows in find_tables(boxes):
                    assert _cell_texts(rows, read) == [[read(cell) for cell in row] for row in rows]
                    tables += 1
            textpage.close()
            page.close()
    finally:
        pdf.close()
    assert tables > 0
