"""The indexed table finder finds exactly the cells pdfplumber's TableFinder finds on the same boxes."""

from __future__ import annotations

import pypdfium2
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pdfplumber import utils as plumber_utils
from pdfplumber.table import TableFinder

from adapters.extractors.pdf_grid import Box, find_tables
from adapters.extractors.pdf_tables import has_rules, path_boxes
from tests.corpus import corpus_path


class _Boxes:
    """Just enough of a pdfplumber Page for TableFinder: every box is a rectangle."""

    def __init__(self, boxes: list[Box], width: float = 612, height: float = 792) -> None:
        self.bbox = (0, 0, width, height)
        self.edges = []
        for x0, top, x1, bottom in boxes:
            self.edges += plumber_utils.rect_to_edges(
                {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "y0": height - bottom,
                 "y1": height - top, "width": x1 - x0, "height": bottom - top, "object_type": "rect"})


def _plumber_cells(boxes: list[Box]) -> list[list[Box]]:
    """pdfplumber's tables, less the zero-width slivers its snapping can leave when a mean is not exact
    in floating point (edges 0, 0 and 0.5 snap to 0.16666666666666663 and ...666), and then, as
    pdfplumber itself does, without tables of fewer than two cells."""
    tables = []
    for table in TableFinder(_Boxes(boxes)).tables:
        cells = sorted(c for c in table.cells if c[2] - c[0] > 1e-9 and c[3] - c[1] > 1e-9)
        if len(cells) > 1:
            tables.append(cells)
    return tables


def _our_cells(boxes: list[Box]) -> list[list[Box]]:
    return [sorted(cell for row in table for cell in row if cell) for table in find_tables(boxes)]


def test_a_ruled_grid_is_one_table_of_its_cells() -> None:
    cells = [(x, y, x + 50, y + 20) for x in (50, 100, 150) for y in (100, 120)]
    tables = find_tables(cells)
    assert len(tables) == 1
    assert tables[0] == [[(50, 100, 100, 120), (100, 100, 150, 120), (150, 100, 200, 120)],
                         [(50, 120, 100, 140), (100, 120, 150, 140), (150, 120, 200, 140)]]


def test_a_spanning_header_leaves_none_under_the_columns_it_covers() -> None:
    boxes = [(0, 0, 100, 10), (0, 10, 50, 20), (50, 10, 100, 20)]
    assert find_tables(boxes) == [[[(0, 0, 100, 10), None], [(0, 10, 50, 20), (50, 10, 100, 20)]]]


def test_lone_lines_and_single_boxes_are_not_tables() -> None:
    assert find_tables([(0, 100, 500, 100.5), (0, 200, 500, 200.5)]) == []
    assert find_tables([(10, 10, 200, 100)]) == []
    assert find_tables([]) == []


_coord = st.integers(min_value=0, max_value=30).map(lambda v: v * 5.0)
_size = st.sampled_from([0.0, 0.5, 5.0, 10.0, 15.0, 20.0, 40.0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_coord, _coord, _size, _size), max_size=30))
@example([(0.0, 0.0, 0.5, 5.0), (0.0, 0.0, 5.0, 5.0)])  # pdfplumber leaves a 3e-17 wide sliver here
def test_same_cells_as_pdfplumber_on_random_boxes(raw: list[tuple[float, float, float, float]]) -> None:
    """Coordinates on a 5-point grid with hairlines: snapping means stay exact in floating point
    (pdfplumber moves each edge by ``mean - x``, which can be an ulp off the mean otherwise)."""
    boxes = [(x, y, x + w, y + h) for x, y, w, h in raw]
    assert _our_cells(boxes) == _plumber_cells(boxes)


@pytest.mark.parametrize("relative", ["pdf/tables/nics-background-checks-2015-11.pdf",
                                      "pdf/tables/senate-expenditures.pdf", "pdf/sec-10q/2023-Q3-NVDA.pdf"])
def test_same_cells_as_pdfplumber_on_corpus_pages(relative: str) -> None:
    pdf = pypdfium2.PdfDocument(corpus_path(relative).read_bytes())
    try:
        found = 0
        for index in range(min(len(pdf), 20)):
            page = pdf[index]
            boxes = path_boxes(page, page.get_size()[1])
            ours = _our_cells(boxes)
            assert ours == _plumber_cells(boxes), f"page {index + 1}"
            found += len(ours)
            page.close()
        assert found > 0
    finally:
        pdf.close()


def test_candidate_pages_need_rules_and_are_not_drawings_of_marks() -> None:
    rules = [(50, y, 550, y + 0.5) for y in (100, 120, 140)]
    assert has_rules(rules, 612, 792)
    assert not has_rules(rules[:2], 612, 792)
    marks = [(x % 500, x // 500 * 5, x % 500 + 4, x // 500 * 5 + 3) for x in range(0, 1500 * 4, 4)]
    assert not has_rules(rules + marks, 612, 792)  # a plot of 1,500 tiny marks is not searched
    cells = [(x, y, x + 70, y + 6) for x in range(20, 580, 70) for y in range(20, 790, 6)]
    assert len(cells) > 1000 and has_rules(cells, 612, 792)  # many cell-sized boxes still are
