"""Cited lines of a text, Markdown or CSV file for the citation viewer: decoded as the extractor
decodes it (adapters.extractors.text.decode, line ends unified), so line numbers agree with the
locators. The cited range is shown with ``_AROUND`` lines either side, at most ``MAX_LINES`` lines
and ``MAX_LINE_CHARS`` characters a line; the lines of the range that hold the quote (found in
the range's text by domain.passages) are marked, or the whole range when it is not found (a CSV
row is quoted as "header: value; ...", found by its words)."""

from __future__ import annotations

from adapters.extractors.text import decode
from domain.citation_views import LinesView, TextLine
from domain.passages import find_quote

MAX_LINES = 200
MAX_LINE_CHARS = 2000
_AROUND = 3


def text_lines(data: bytes, first: int, last: int, quote: str) -> LinesView:
    lines = decode(data).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = max(1, min(first, len(lines)))
    last = max(first, min(last, len(lines), first + MAX_LINES - 1))
    cited = _quoted(lines[first - 1:last], quote, first) or set(range(first, last + 1))
    low, high = max(1, first - _AROUND), min(len(lines), last + _AROUND, first + MAX_LINES - 1)
    return LinesView(lines=tuple(TextLine(number=n, text=lines[n - 1][:MAX_LINE_CHARS], cited=n in cited)
                                 for n in range(low, high + 1)))


def _quoted(lines: list[str], quote: str, first: int) -> set[int]:
    """The numbers of the lines (the first being line ``first``) that the quote's spans touch."""
    if not quote:
        return set()
    text = "\n".join(lines)
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    numbers = set()
    for start, end in find_quote(text, quote):
        for index, line_start in enumerate(starts):
            if line_start < end and start < line_start + len(lines[index]):
                numbers.add(first + index)
    return numbers
