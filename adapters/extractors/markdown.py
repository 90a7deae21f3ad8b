"""Tables as Markdown: the first row is the header, pipes and line breaks in cells are escaped."""

from __future__ import annotations

from collections.abc import Sequence

from domain.tables import BLOCK_TOKENS, Table, blocks, render
from domain.text import count_tokens


def cell_text(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|")


def markdown_table(rows: Sequence[Sequence[object]], *, drop_empty_columns: bool = True) -> str:
    """A GitHub-style table; rows are padded to the widest; empty rows (and columns) are dropped."""
    cells = _cells(rows, cell_text, drop_empty_columns)
    if not cells:
        return ""
    header, body = cells[0], cells[1:]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def markdown_blocks(rows: Sequence[Sequence[object]]) -> list[str]:
    """The rows (the first the header) as Markdown blocks that each repeat the header, so that a
    chunk holding any row names its columns; empty rows and columns are dropped."""
    cells = _cells(rows, lambda v: " ".join(("" if v is None else str(v)).split()), True)
    if not cells:
        return []
    return table_blocks(Table(header=tuple(cells[0]), rows=tuple(tuple(row) for row in cells[1:])))


def table_blocks(table: Table) -> list[str]:
    """The table as Markdown blocks that each repeat its header (``domain.tables.blocks``); a header
    too long to repeat (over a third of a block: a wide grid) is written once, with the whole table."""
    if count_tokens(render(Table(header=table.header, rows=(), caption=table.caption))) > BLOCK_TOKENS // 3:
        return [render(table)]
    return [render(block) for block in blocks(table)]


def _cells(rows: Sequence[Sequence[object]], text_of, drop_empty_columns: bool) -> list[list[str]]:
    cells = [[text_of(v) for v in row] for row in rows]
    cells = [row for row in cells if any(row)]
    if not cells:
        return []
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]
    keep = [i for i in range(width) if not drop_empty_columns or any(row[i] for row in cells)]
    return [[row[i] for i in keep] for row in cells]
