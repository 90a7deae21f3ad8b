"""A cited passage of a Word document in its section, for the citation viewer.

The body is read as the extractor reads it (adapters.extractors.docx: blocks in body order, 1-based,
headings from "Title" / "Heading N" styles), so a paragraph locator names the same block here. The
section is the run of blocks from the nearest heading before the first cited block up to the next
heading of the same or a higher level; at most ``MAX_BLOCKS`` of it are shown, around the cited
blocks (its heading kept on top). In each cited block the quote is marked by offsets into its text
(domain.passages); a table's text is its rows' cells joined by tabs and line ends."""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from adapters.extractors.docx import _heading_level, _table_rows
from adapters.extractors.zip_guard import open_zip
from domain.citation_views import SectionBlock, SectionView
from domain.errors import FileCorrupt
from domain.passages import find_quote

MAX_BLOCKS = 40
_AROUND = 8  # blocks shown before and after the cited ones when the section is longer


def section(data: bytes, paragraphs: Sequence[int], quote: str) -> SectionView:
    open_zip(data).close()
    try:
        document = docx.Document(io.BytesIO(data))
        body = list(document.iter_inner_content())
        style_names = {style.style_id: style.name or "" for style in document.styles}
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors ...
        raise FileCorrupt("The Word document is damaged and cannot be read.") from error
    levels = [_level(block, style_names) for block in body]
    cited = sorted(n for n in set(paragraphs) if 1 <= n <= len(body))
    if not cited:
        return SectionView(section=None, blocks=())
    start, end = bounds(levels, cited[0], cited[-1])
    low, high = max(start, cited[0] - _AROUND), min(end, cited[-1] + _AROUND)
    high = min(high, low + MAX_BLOCKS - 1)
    numbers = ([start] if low > start else []) + list(range(low, high + 1))
    blocks = tuple(_block(n, body[n - 1], levels[n - 1], n in cited, quote) for n in numbers)
    heading = body[start - 1].text.strip() if levels[start - 1] is not None else None
    return SectionView(section=heading, blocks=blocks, truncated=low > start + 1 or high < end)


def bounds(levels: Sequence[int | None], first: int, last: int) -> tuple[int, int]:
    """The 1-based first and last block of the section holding blocks ``first``..``last``."""
    start = next((n for n in range(first, 0, -1) if levels[n - 1] is not None), 1)
    level = levels[start - 1]
    end = len(levels)
    for n in range(max(last, start) + 1, len(levels) + 1):
        if levels[n - 1] is not None and (level is None or levels[n - 1] <= level):
            end = n - 1
            break
    return start, end


def _level(block: Paragraph | Table, style_names: dict[str, str]) -> int | None:
    if isinstance(block, Table) or not block.text.strip():
        return None
    return _heading_level(style_names.get(block._p.style or "", ""))  # noqa: SLF001 - as the extractor reads it


def _block(number: int, block: Paragraph | Table, level: int | None, cited: bool, quote: str) -> SectionBlock:
    if isinstance(block, Table):
        rows = tuple(tuple(" ".join(cell.split()) for cell in row) for row in _table_rows(block))
        text = "\n".join("\t".join(row) for row in rows)
        kind = "table"
    else:
        rows, text = (), block.text.strip()
        kind = "heading" if level is not None else "paragraph"
    marks = tuple(find_quote(text, quote)) if cited and quote else ()
    return SectionBlock(number=number, kind=kind, text=text, level=level, rows=rows, cited=cited, marks=marks)
