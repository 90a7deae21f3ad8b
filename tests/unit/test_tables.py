"""Tables as Markdown in a chunk's text, cut into blocks and read back (domain.tables)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.tables import BLOCK_TOKENS, Table, blocks, cell, parse_tables, render
from domain.text import count_tokens

STATEMENT = Table(
    header=("", "Three Months Ended July 1, 2023", "Three Months Ended June 25, 2022"),
    rows=(("Net sales:", "", ""), ("Products", "$ 60,584", "$ 63,355"), ("Services", "21,213", "19,604"),
          ("Total net sales", "81,797", "82,959")),
    caption="(In millions)",
)
STATEMENT_TEXT = """(In millions)
|  | Three Months Ended July 1, 2023 | Three Months Ended June 25, 2022 |
|---|---|---|
| Net sales: |  |  |
| Products | $ 60,584 | $ 63,355 |
| Services | 21,213 | 19,604 |
| Total net sales | 81,797 | 82,959 |"""


def long_table(rows: int, caption: str | None = "Inventory (units)") -> Table:
    return Table(header=("Item", "Warehouse", "Quantity"),
                 rows=tuple((f"Item number {i}", f"Warehouse {i % 7}", str(i * 13)) for i in range(rows)),
                 caption=caption)


def collapsed(text: str) -> str:
    """A cell as it reads back: its whitespace collapsed, as ``cell`` renders it."""
    return " ".join(text.split())


# --- render -----------------------------------------------------------------------------

def test_render_writes_the_caption_header_separator_and_rows() -> None:
    assert render(STATEMENT) == STATEMENT_TEXT


def test_render_pads_short_rows_and_escapes_pipes() -> None:
    table = Table(header=("Name", "Value"), rows=(("a | b",), ("  spaced \n out  ", "1")))
    assert render(table) == "| Name | Value |\n|---|---|\n| a \\| b |  |\n| spaced out | 1 |"


def test_cell_renders_none_as_empty_and_numbers_as_text() -> None:
    assert cell(None) == ""
    assert cell(12.5) == "12.5"
    assert cell("x|y") == "x\\|y"


def test_a_cell_of_dashes_is_escaped_so_no_row_reads_as_a_separator() -> None:
    assert cell("---") == "\\---" and cell(" :--- ") == "\\:---" and cell("\\---") == "\\\\---"
    assert cell("a---") == "a---" and cell("--") == "--"
    table = Table(header=("---", "b"), rows=((":---:", "\\---"),))
    assert [t for t, _, _ in parse_tables(render(table))] == [table]


# --- parse ------------------------------------------------------------------------------

def test_parse_reads_a_rendered_table_with_its_offsets() -> None:
    text = "Statement of operations\n\n" + STATEMENT_TEXT + "\n\nAfter the table."
    [(table, start, end)] = parse_tables(text)
    assert table == STATEMENT
    assert text[start:end] == STATEMENT_TEXT.split("\n", 1)[1]  # the caption is the line before the table


def test_rows_without_a_header_are_a_table_with_an_empty_header() -> None:
    text = "| Services | 21,213 | 19,604 |\n| Total net sales | 81,797 |\nNext paragraph."
    [(table, start, end)] = parse_tables(text)
    assert table == Table(header=("", "", ""), rows=(("Services", "21,213", "19,604"),
                                                     ("Total net sales", "81,797", "")))
    assert (start, end) == (0, text.index("\nNext"))


def test_the_line_before_headerless_rows_is_their_caption() -> None:
    [(table, _, _)] = parse_tables("continued\n| a | b |")
    assert table.caption == "continued"


def test_two_tables_in_one_text() -> None:
    first = Table(header=("x",), rows=(("1",),), caption="First")
    second = Table(header=("y", "z"), rows=(("2", "3"),))
    text = render(first) + "\n\n" + render(second)
    found = parse_tables(text)
    assert [t for t, _, _ in found] == [first, second]
    assert [text[s:e] for _, s, e in found] == [render(first).split("\n", 1)[1], render(second)]


def test_a_table_right_after_another_takes_no_caption_from_it() -> None:
    text = render(Table(header=("x",), rows=(("1",),))) + "\n" + render(Table(header=("y",), rows=(("2",),)))
    [(_, _, _), (second, _, _)] = parse_tables(text)
    assert second.caption is None


def test_text_without_tables() -> None:
    assert parse_tables("No tables here.\nA pipe | in prose does not start a line.") == []
    assert parse_tables("") == []


# --- round trip -------------------------------------------------------------------------

# pipes, backslashes, spaces, line breaks, and the cells a separator line is made of
_CELLS = st.one_of(st.text(alphabet=list("ab Z1,.$%()|\\-é\tЖ\n"), max_size=10),
                   st.sampled_from(["---", ":---:", "----:", "\\---", "\\\\---", " --- "]))


@st.composite
def tables(draw: st.DrawFn) -> Table:
    width = draw(st.integers(1, 5))
    header = draw(st.lists(_CELLS, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(_CELLS, min_size=1, max_size=width), max_size=8))
    caption = draw(st.one_of(st.none(), st.text(alphabet="Caption (in millions)", min_size=1, max_size=20)))
    return Table(header=tuple(header), rows=tuple(map(tuple, rows)),
                 caption=caption if caption and caption.strip() else None)


@settings(max_examples=400, deadline=None)
@given(tables())
def test_render_then_parse_gives_the_table_back(table: Table) -> None:
    width = len(table.header)
    text = render(table)
    [(back, start, end)] = parse_tables(text)
    assert text[start:end] == (text.split("\n", 1)[1] if table.caption else text)  # the table's lines
    assert back.header == tuple(collapsed(c) for c in table.header)
    assert back.rows == tuple(tuple(collapsed(c) for c in row) + ("",) * (width - len(row)) for row in table.rows)
    assert back.caption == (table.caption.strip() if table.caption else None)


def test_a_row_of_dashes_survives_the_round_trip() -> None:
    table = Table(header=("Item", "Qty"), rows=(("Bolts", "7"), ("---", "---"), ("Nuts", "3")))
    assert [t for t, _, _ in parse_tables(render(table))] == [table]


# --- blocks -----------------------------------------------------------------------------

def test_a_short_table_is_one_block() -> None:
    assert list(blocks(STATEMENT)) == [STATEMENT]


def test_an_empty_table_is_one_empty_block() -> None:
    table = Table(header=("a", "b"), rows=(), caption="Nothing")
    assert list(blocks(table)) == [table]


def test_blocks_repeat_the_header_and_put_the_caption_on_the_first_only() -> None:
    table = long_table(60)
    cut = list(blocks(table, 80))
    assert len(cut) > 2
    assert all(b.header == table.header for b in cut)
    assert [b.caption for b in cut] == ["Inventory (units)"] + [None] * (len(cut) - 1)
    assert tuple(row for b in cut for row in b.rows) == table.rows  # every row once, in order
    assert all(b.rows for b in cut)


def test_every_block_fits_the_default_budget() -> None:
    cut = list(blocks(long_table(200)))
    assert len(cut) > 1
    assert all(count_tokens(render(b)) <= BLOCK_TOKENS for b in cut)
    # runs are filled, not cut short (a row is sized as it is rendered, plus a token a cell)
    assert all(count_tokens(render(b)) > BLOCK_TOKENS * 0.7 for b in cut[:-1])


def test_a_row_larger_than_the_budget_stands_alone() -> None:
    big = ("Huge", " ".join(f"word{i}" for i in range(300)), "1")
    table = Table(header=("Item", "Notes", "Qty"), rows=(("a", "b", "1"), big, ("c", "d", "2")))
    cut = list(blocks(table, 50))
    assert [b.rows for b in cut] == [(("a", "b", "1"),), (big,), (("c", "d", "2"),)]


_PLAIN_CELLS = st.text(alphabet=st.sampled_from(list("abcdefghij XYZ0123456789,.$%()-é")), max_size=30)


@st.composite
def rectangular_tables(draw: st.DrawFn) -> Table:
    width = draw(st.integers(1, 5))
    header = draw(st.lists(_PLAIN_CELLS, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(_PLAIN_CELLS, min_size=width, max_size=width), max_size=40))
    return Table(header=tuple(header), rows=tuple(map(tuple, rows)),
                 caption=draw(st.sampled_from([None, "Statement of cash flows (in thousands)"])))


@settings(max_examples=300, deadline=None)
@given(rectangular_tables(), st.integers(20, 300))
def test_every_block_is_under_the_budget_unless_one_row_is_larger(table: Table, budget: int) -> None:
    cut = list(blocks(table, budget))
    assert tuple(row for b in cut for row in b.rows) == table.rows
    for block in cut:
        assert block.header == table.header
        if len(block.rows) > 1:
            assert count_tokens(render(block)) <= budget


def test_rows_with_pipes_stay_under_the_budget() -> None:
    row = ("|||||", "|||||")
    table = Table(header=("a", "b"), rows=(row, row))
    budget = count_tokens(render(Table(header=("a", "b"), rows=()))) + 2 * (count_tokens(" | ".join(row)) + 4)
    for block in blocks(table, budget):
        assert len(block.rows) == 1 or count_tokens(render(block)) <= budget
