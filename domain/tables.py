"""Tables as the text of a chunk: Markdown with one header row, and read back from it.

Every extractor renders a table the same way: an optional caption line, a header row whose
cells name the columns (stacked headers composed into one label each: "Three Months Ended
July 1, 2023"), a separator, then one line per row, the row's label first. A table too long for
one chunk is cut into blocks that each repeat the header, so any row a question finds comes
with the names of its columns. ``parse_tables`` reads such tables out of a chunk's text for the
keyless answerer."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import attrs

from domain.text import count_tokens

BLOCK_TOKENS = 240  # a block and its header fit a default chunk (300 tokens)
_SEPARATOR = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
_ESCAPED_PIPE = "\x00"
# a cell that could be a separator's ("---", ":---:"), after any backslashes: one more backslash
# is written before it ("\---", valid Markdown for "---"), so a row of such cells is no separator
# line, and one is taken off when read back
_DASHES = re.compile(r"^\\*:?-{3,}:?$")


@attrs.frozen(kw_only=True)
class Table:
    """``header``: one label per column, the first for the row labels ("" when none);
    ``rows``: cells, as many as the header (padded with "" when read back)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None

    def column(self, index: int) -> list[str]:
        return [row[index] if index < len(row) else "" for row in self.rows]


def cell(value: object) -> str:
    text = " ".join(("" if value is None else str(value)).split()).replace("|", "\\|")
    return "\\" + text if _DASHES.match(text) else text


def _width(table: Table) -> int:
    return max([len(table.header), *(len(r) for r in table.rows)], default=0)


def _line(cells: Sequence[object], width: int) -> str:
    """One row (or the header) as a Markdown line, padded with empty cells to ``width``."""
    return "| " + " | ".join([cell(c) for c in cells] + [""] * (width - len(cells))) + " |"


def _head(table: Table, width: int) -> list[str]:
    """The caption (if any), header and separator lines."""
    lines = [table.caption] if table.caption else []
    return lines + [_line(table.header, width), "|" + "---|" * width]


def render(table: Table) -> str:
    """The table as Markdown (its caption, if any, on the line before)."""
    width = _width(table)
    return "\n".join(_head(table, width) + [_line(row, width) for row in table.rows])


def blocks(table: Table, max_tokens: int = BLOCK_TOKENS) -> Iterator[Table]:
    """The table cut into consecutive runs of rows of about ``max_tokens`` each, every run with
    the header (and the caption on the first only). A row is sized as ``render`` writes it (cells
    escaped, padded to the widest row), so a block of more than one row keeps to the budget, plus
    a token a cell of slack: the blocks the index and the benchmarks are tuned to (sizing to the
    last token cuts other blocks, and the SEC answers fell by 1.6 points)."""
    width = _width(table)
    overhead = count_tokens("\n".join(_head(table, width)))
    run: list[tuple[str, ...]] = []
    used = overhead
    first = True
    for row in table.rows:
        size = count_tokens(_line(row, width)) + len(row)
        if run and used + size > max_tokens:
            yield attrs.evolve(table, rows=tuple(run), caption=table.caption if first else None)
            run, used, first = [], overhead, False
        run.append(row)
        used += size
    if run or first:
        yield attrs.evolve(table, rows=tuple(run), caption=table.caption if first else None)


def _cells(line: str) -> list[str]:
    inner = line.strip().replace("\\|", _ESCAPED_PIPE)
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    cells = [c.strip().replace(_ESCAPED_PIPE, "|") for c in inner.split("|")]
    return [c[1:] if c.startswith("\\") and _DASHES.match(c) else c for c in cells]


def parse_tables(text: str) -> list[tuple[Table, int, int]]:
    """The Markdown tables in ``text``, each with the (start, end) offsets of its lines.

    A table is a header line, a separator line and the row lines after them; rows that start a
    text without their header (a chunk cut inside a table) are read as a table with an empty header."""
    found: list[tuple[Table, int, int]] = []
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith("|"):
            i += 1
            continue
        start = i
        header: Sequence[str] = ()
        if i + 1 < len(lines) and _SEPARATOR.match(lines[i + 1].strip()):
            header, i = _cells(lines[i]), i + 2
        rows = []
        while i < len(lines) and lines[i].lstrip().startswith("|") and not (
                i + 1 < len(lines) and _SEPARATOR.match(lines[i + 1].strip())):
            rows.append(tuple(_cells(lines[i])))
            i += 1
        # the line before, unless it is empty or a row of the table just above
        before = lines[start - 1].strip() if start > 0 else ""
        caption = before if before and not before.startswith("|") else None
        width = max([len(header), *(len(r) for r in rows)], default=0)
        table = Table(header=tuple(header) + ("",) * (width - len(header)),
                      rows=tuple(r + ("",) * (width - len(r)) for r in rows), caption=caption)
        end = offsets[i - 1] + len(lines[i - 1]) if i > start else offsets[start]
        found.append((table, offsets[start], end))
        if i == start:
            i += 1
    return found
