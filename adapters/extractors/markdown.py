"""Tables as Markdown: the first row is the header, pipes and line breaks in cells are escaped."""

from __future__ import annotations

from collections.abc import Sequence


def cell_text(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|")


def markdown_table(rows: Sequence[Sequence[object]], *, drop_empty_columns: bool = True) -> str:
    """A GitHub-style table; rows are padded to the widest; empty rows (and columns) are dropped."""
    cells = [[cell_text(v) for v in row] for row in rows]
    cells = [row for row in cells if any(row)]
    if not cells:
        return ""
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]
    keep = [i for i in range(width) if not drop_empty_columns or any(row[i] for row in cells)]
    cells = [[row[i] for i in keep] for row in cells]
    header, body = cells[0], cells[1:]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)
