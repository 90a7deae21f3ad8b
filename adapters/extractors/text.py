"""Plain text, Markdown and CSV: decode, then cut into located segments.

Decoding: a byte-order mark wins (UTF-8/16/32), then strict UTF-8, then charset_normalizer's
guess. Short Western texts often come out as a Baltic or Central European code page that ties
with cp1252 on its "chaos" measure, so among guesses within ``_NEAR`` of the best, the common
code pages in ``_PREFERRED`` win.

Segments: text and Markdown give one segment per paragraph (a run of non-blank lines) with its
1-based lines and paragraph number; in Markdown an ATX heading (``#``..``######``, outside
fenced code) also starts a segment, and each segment carries the nearest heading at or before it
as ``section``. CSV rows (first row = header, delimiter sniffed, comma by default) are rendered
"header: value; ..." and grouped ``CSV_ROWS_PER_SEGMENT`` to a segment.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator

import charset_normalizer

from adapters.extractors.sheet_caps import SheetCaps, SheetCounter
from application.ports.extractor import Budget, Extraction, ProgressCallback
from domain.chunks import Segment
from domain.documents import DocumentKind
from domain.errors import FileCorrupt, NoTextFound
from domain.locators import Locator

CSV_ROWS_PER_SEGMENT = 20
_BOMS = (  # UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_PREFERRED = ("cp1252", "cp1250", "cp1251", "koi8_r")
_NEAR = 0.08
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*")
_FENCE = re.compile(r" {0,3}(```|~~~)")
_PROGRESS_STEPS = 4


class PlainTextExtractor:
    """Implements application.ports.extractor.Extractor for TEXT, MARKDOWN and CSV."""

    kinds = frozenset({DocumentKind.TEXT, DocumentKind.MARKDOWN, DocumentKind.CSV})
    name = "text"
    version = "1"

    def __init__(self, caps: SheetCaps = SheetCaps()) -> None:
        self.caps = caps  # of a CSV file's rows and cells, counted as they are parsed

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None,
                budget: Budget | None = None) -> Extraction:
        text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
        if budget is not None:
            budget.add(text)
        if not text.strip():
            raise NoTextFound("The file contains no text.")
        if kind is DocumentKind.CSV:
            segments = list(_csv_segments(text, self.caps.counter("The CSV file")))
        else:
            segments = list(_paragraphs(text, markdown=kind is DocumentKind.MARKDOWN))
        if not segments:
            raise NoTextFound("The file contains no text.")
        if progress is not None:
            total = len(segments)
            step = max(1, -(-total // _PROGRESS_STEPS))
            for done in range(step, total + step, step):
                progress(min(done, total), total)
        return Extraction(segments=segments)


def decode(data: bytes) -> str:
    """Text of ``data``: BOM, else UTF-8, else the best guess; FileCorrupt when nothing fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as error:
                raise FileCorrupt(f"The text is not valid {encoding.upper()}.") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise FileCorrupt("The text encoding could not be recognised.")
    near = [m for m in matches if m.chaos <= matches[0].chaos + _NEAR]
    rank = {name: i for i, name in enumerate(_PREFERRED)}
    best = min(near, key=lambda m: (rank.get(m.encoding, len(rank)), near.index(m)))
    return str(best)


def _paragraphs(text: str, *, markdown: bool) -> Iterator[Segment]:
    """Runs of non-blank lines; in Markdown a heading starts a run and is joined to the paragraph after it."""
    section: str | None = None
    block: list[str] = []
    first = last = number = 0
    block_section: str | None = None
    in_fence = heading_only = False
    for lineno, line in enumerate(text.split("\n"), start=1):
        heading = _HEADING.fullmatch(line) if markdown and not in_fence else None
        blank = not line.strip() and not in_fence
        if block and (heading or (blank and not heading_only)):
            number += 1
            yield _paragraph(block, block_section, number, first, last)
            block = []
        if heading:
            section = (heading.group(2) or "").strip() or None
        if blank:
            continue
        if markdown and _FENCE.match(line):
            in_fence = not in_fence
        if not block:
            first, block_section, heading_only = lineno, section, bool(heading)
        elif not heading:
            heading_only = False
        block.append(line)
        last = lineno
    if block:
        yield _paragraph(block, block_section, number + 1, first, last)


def _paragraph(lines: list[str], section: str | None, number: int, first: int, last: int) -> Segment:
    return Segment(text="\n".join(lines).strip(),
                   locator=Locator(section=section, paragraph=number, line_start=first, line_end=last))


def _csv_segments(text: str, counter: SheetCounter | None = None) -> Iterator[Segment]:
    reader = csv.reader(io.StringIO(text, newline=""), _sniff(text))
    header: list[str] | None = None
    header_lines = (0, 0)
    rows: list[tuple[str, int, int]] = []  # rendered row, first line, last line
    emitted, line = 0, 0
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if counter is not None:
                counter.row(len(cells))
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_lines = [cell.strip() for cell in cells], (start, line)
                continue
            rows.append((_render(header, cells), start, line))
            if len(rows) == CSV_ROWS_PER_SEGMENT:
                yield _rows_segment(rows)
                emitted, rows = emitted + 1, []
    except csv.Error as error:
        raise FileCorrupt(f"The CSV file is malformed near line {reader.line_num}: {error}") from error
    if rows:
        yield _rows_segment(rows)
    elif header is not None and not emitted:  # a header and no data rows
        yield Segment(text="; ".join(h for h in header if h),
                      locator=Locator(line_start=header_lines[0], line_end=header_lines[1]))


def _rows_segment(rows: list[tuple[str, int, int]]) -> Segment:
    return Segment(text="\n".join(r[0] for r in rows), locator=Locator(line_start=rows[0][1], line_end=rows[-1][2]))


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _render(header: list[str], cells: list[str]) -> str:
    pairs = []
    for i, cell in enumerate(cells):
        value = cell.strip()
        if value:
            name = header[i] if i < len(header) and header[i] else f"column {i + 1}"
            pairs.append(f"{name}: {value}")
    return "; ".join(pairs)
