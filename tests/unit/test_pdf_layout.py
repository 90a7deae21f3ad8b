"""Tables read from word boxes: rows, cells, columns and stacked headers on small synthetic pages."""

from __future__ import annotations

from adapters.extractors.pdf_layout import layout_tables, may_hold_table, splice
from adapters.extractors.pdf_words import Word, rows_of, rules_of

_LINE = 9.0  # a line's height; rows are 11 points apart


class Page:
    """Words placed by hand: ``line(y, (x0, "text"), ...)`` lays out one visual line; each word is
    6 points wide a character and is also written to ``text``, so offsets are real."""

    def __init__(self) -> None:
        self.words: list[Word] = []
        self.text = ""

    def line(self, y: float, *cells: tuple[float, str]) -> None:
        for x0, cell in cells:
            x = x0
            for token in cell.split():
                start = len(self.text)
                self.text += token + " "
                self.words.append(Word(token, x, y, x + 6 * len(token), y + _LINE, start, start + len(token)))
                x += 6 * len(token) + 3  # a space
        self.text = self.text.rstrip(" ") + "\n"


def _income_statement() -> Page:
    page = Page()
    page.line(10, (150, "CONDENSED STATEMENTS OF OPERATIONS"))
    page.line(21, (140, "(In millions, except per share amounts)"))
    page.line(40, (300, "Three Months Ended"), (450, "Nine Months Ended"))
    page.line(50, (300, "July 1,"), (375, "June 25,"), (450, "July 1,"), (525, "June 25,"))
    page.line(57, (303, "2023"), (378, "2022"), (453, "2023"), (528, "2022"))
    page.line(70, (20, "Net sales:"))
    page.line(81, (30, "Products"), (280, "$"), (310, "60,584"), (355, "$"), (385, "63,355"), (430, "$"),
              (454, "230,901"), (505, "$"), (529, "245,241"))
    page.line(92, (30, "Services"), (310, "21,213"), (385, "19,604"), (460, "62,886"), (535, "58,941"))
    page.line(103, (40, "Total net sales"), (310, "81,797"), (385, "82,959"), (454, "293,787"), (529, "304,182"))
    page.line(114, (20, "Other income/(expense), net"), (316, "(265)"), (397, "(10)"), (466, "(594)"), (547, "(97)"))
    page.line(125, (20, "Acquisition termination cost"), (330, "—"), (405, "—"), (480, "—"), (529, "1,353"))
    page.line(150, (20, "See accompanying Notes to Condensed Consolidated Financial Statements and more words."))
    return page


def test_stacked_headers_are_composed_top_down_per_column() -> None:
    page = _income_statement()
    [found] = layout_tables(page.words)
    assert found.table.header == ("(In millions, except per share amounts)",
                                  "Three Months Ended July 1, 2023", "Three Months Ended June 25, 2022",
                                  "Nine Months Ended July 1, 2023", "Nine Months Ended June 25, 2022")
    assert found.table.rows[0] == ("Net sales:", "", "", "", "")  # a section row
    assert found.table.rows[1] == ("Products", "$60,584", "$63,355", "$230,901", "$245,241")  # "$" joined
    assert found.table.rows[3] == ("Total net sales", "81,797", "82,959", "293,787", "304,182")
    assert found.table.rows[4] == ("Other income/(expense), net", "(265)", "(10)", "(594)", "(97)")
    assert found.table.rows[5] == ("Acquisition termination cost", "—", "—", "—", "1,353")


def test_the_table_replaces_its_lines_in_the_text() -> None:
    page = _income_statement()
    [found] = layout_tables(page.words)
    pieces = splice(page.text, [(found.spans, "TABLE")])
    assert pieces == ["CONDENSED STATEMENTS OF OPERATIONS\n", "TABLE",
                      "See accompanying Notes to Condensed Consolidated Financial Statements and more words.\n"]


def test_percent_cells_join_the_number_before_and_a_column_set_off_is_one_column() -> None:
    page = Page()
    page.line(40, (300, "2023"), (380, "2022"))
    page.line(51, (20, "Gross margin"), (290, "$"), (310, "21,448"), (370, "$"), (390, "21,870"))
    page.line(62, (20, "Services"), (310, "14,965"), (390, "14,015"))
    page.line(73, (20, "Products margin"), (296, "35.4"), (322, "%"), (376, "34.5"), (402, "%"))
    page.line(84, (20, "Services margin"), (296, "70.5"), (322, "%"), (376, "71.5"), (402, "%"))
    [found] = layout_tables(page.words)
    assert found.table.header == ("", "2023", "2022")
    assert found.table.rows[-2:] == (("Products margin", "35.4%", "34.5%"), ("Services margin", "70.5%", "71.5%"))


def test_a_wrapped_label_is_joined_and_a_stub_header_sends_the_unit_to_the_caption() -> None:
    page = Page()
    page.line(10, (200, "(In millions)"))
    page.line(30, (20, "Segment"), (300, "Revenue"), (380, "Income"))
    page.line(41, (20, "Common stock, 50,400,000 shares"))
    page.line(52, (28, "authorized and outstanding"), (312, "70,667"), (392, "64,849"))
    page.line(63, (20, "Total"), (312, "80,000"), (392, "70,000"))
    [found] = layout_tables(page.words)
    assert found.table.header == ("Segment", "Revenue", "Income")
    assert found.table.caption == "(In millions)"
    assert found.table.rows[0] == ("Common stock, 50,400,000 shares authorized and outstanding", "70,667", "64,849")


def test_a_spanning_header_reaches_as_far_as_the_rule_under_it() -> None:
    page = Page()
    page.line(40, (340, "Three Months"))  # narrower than the three columns it heads
    page.line(52, (300, "2023"), (370, "2022"), (440, "Change"))
    page.line(63, (20, "Americas"), (300, "35,383"), (370, "37,472"), (446, "(6)%"))
    page.line(74, (20, "Europe"), (300, "20,205"), (370, "19,287"), (458, "5%"))
    assert layout_tables(page.words)[0].table.header == ("", "2023", "Three Months 2022", "Change")
    pieces = [(298.0, 40 + _LINE + 0.5, 380.0, 40 + _LINE + 1.0), (381.0, 40 + _LINE + 0.6, 480.0, 40 + _LINE + 1.1)]
    assert rules_of(pieces) == [(pieces[0][1], 298.0, 480.0)]  # pieces that touch are one rule
    [found] = layout_tables(page.words, rules_of(pieces))
    assert found.table.header == ("", "Three Months 2023", "Three Months 2022", "Three Months Change")
    grid_line = [(10.0, 40 + _LINE + 0.5, 480.0, 40 + _LINE + 1.0)]  # from under the labels: a grid's line
    assert layout_tables(page.words, rules_of(grid_line))[0].table.header[1] == "2023"


def test_titles_and_unaudited_lines_are_not_headers() -> None:
    page = Page()
    page.line(10, (150, "NVIDIA CORPORATION AND SUBSIDIARIES"))
    page.line(21, (280, "(Unaudited)"))
    page.line(34, (300, "October 29,"), (380, "October 30,"))
    page.line(45, (310, "2023"), (390, "2022"))
    page.line(60, (20, "Revenue"), (300, "$"), (318, "18,120"), (380, "$"), (404, "5,931"))
    page.line(71, (20, "Cost of revenue"), (324, "4,720"), (404, "2,754"))
    [found] = layout_tables(page.words)
    assert found.table.header == ("", "October 29, 2023", "October 30, 2022")
    assert "(Unaudited)" in splice(page.text, [(found.spans, "TABLE")])[0]


def test_lists_and_charts_are_not_tables() -> None:
    contents = Page()  # titles and page numbers
    for k, title in enumerate(["Financial Statements", "Risk Factors", "Legal Proceedings", "Exhibits"]):
        contents.line(20 + 11 * k, (20, title), (560, str(3 + 4 * k)))
    assert layout_tables(contents.words) == []
    chart = Page()  # a bar chart's labels, one value a row, and its axis
    for k, (label, x) in enumerate([("NEVER", 120), ("SOMETIMES", 200), ("WEEKLY", 280), ("DAILY", 480)]):
        chart.line(20 + 11 * k, (20, label), (x, f"{5 * k + 3}%"))
    chart.line(70, *[(100 + 80 * k, f"{10 * k}%") for k in range(6)])
    assert layout_tables(chart.words) == []


def test_rows_are_words_overlapping_vertically_and_cells_are_cut_at_wide_gaps() -> None:
    page = Page()
    page.line(10, (20, "Total net sales"), (300, "81,797"))
    page.words.append(Word("(1)", 107, 11.5, 125, 20.5, 0, 0))  # a little lower: the same row, the same cell
    [row] = rows_of(page.words)
    assert [c.text for c in row.cells] == ["Total net sales (1)", "81,797"]
    assert [c.value for c in row.cells] == [False, True]


def test_only_pages_with_rows_ending_in_values_are_read() -> None:
    assert may_hold_table("Products $ 60,584 $ 63,355\nServices 21,213 19,604\n")
    assert may_hold_table("Due in one year $ 1,250\nDue later 2,250\nCosts (44)\n")
    assert not may_hold_table("In 2023 we sold 5 units.\nf(x) = 2x + 1\n(0, 0) and (0, 1)\n")
