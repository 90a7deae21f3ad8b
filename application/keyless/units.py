"""The pieces of the sources an answer can be made of: sentences and table rows.

Sentences: a source's lines are joined into paragraphs first (PDF text and Word paragraphs with
manual breaks wrap lines mid-sentence), a line ending a paragraph when it ends a sentence, is
short and followed by a capital, or is a list item's start; paragraphs are then cut after
. ! ? … unless the dot ends a common abbreviation, an initial or a number's decimals.

Rows: every row of every Markdown table (domain.tables), with its column names, the table's
caption and the line above the table (a statement's title), and the section row it stands
under ("Operating expenses:" above "Research and development")."""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from application.ports.language_model import Source
from domain.tables import Table, parse_tables

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+(?=[\"'“«(]*[A-ZА-ЯЁ0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:inc|corp|co|ltd|llc|no|nos|vs|etc|e\.g|i\.e|approx|mr|mrs|ms|dr|st|jan|feb|mar|apr|jun|jul|aug|sep|sept|"
    r"oct|nov|dec|fig|sec|art|u\.s|u\.k|т\.е|т\.д|т\.п|г|гг|руб|коп|ст|п|пп|им|др|тыс|млн|млрд|ул|д|лит|кв|корп|стр|обл|"
    r"тел|ч|см|шт|ед|изм|пр|пер)\.|\b[A-ZА-Я]\.)$",
    re.IGNORECASE)
_LIST_START = re.compile(r"^\s*(?:[-–—•▪●*]\s*(?=\w)|\(?\d{1,2}[.)]\s+|\(?[a-zа-я][.)]\s+)")
_LINE_END = re.compile(r"[.!?…:;]\s*$")
_SHORT_LINE = 60
_LEAD_CHARS = 120
_WORDY = re.compile(r"[^\W\d_]{2,}")
_RECORD_LINE = re.compile(r"^[^\n:;|]{1,60}: [^\n;]*(?:; [^\n:;|]{1,60}: [^\n;]*)+$", re.MULTILINE)
_MAX_SENTENCE = 1500


@attrs.frozen
class Sentence:
    """``lead``: the short line ending in a colon that introduces the sentence's paragraph
    ("Срок выполнения работ:" above "- окончание: не позднее 65 дней"), "" when none."""

    text: str
    source: Source
    position: int  # order in the sources
    lead: str = ""


@attrs.frozen
class Row:
    """``label_at``: the index of the row's label, its first cell with words (a sheet's rows often
    start with an empty column); its values are the cells after it."""

    cells: tuple[str, ...]
    table: Table
    section: str  # the section row above it ("" when none)
    title: str  # the line above the table, and its caption
    source: Source
    position: int
    label_at: int = 0

    @property
    def label(self) -> str:
        return self.cells[self.label_at] if self.label_at < len(self.cells) else ""


def sentences(sources: tuple[Source, ...]) -> Iterator[Sentence]:
    position = 0
    for source in sources:
        text = _without_tables(source.text)
        lead = ""
        for paragraph in paragraphs(text):
            for sentence in split_sentences(paragraph):
                position += 1
                yield Sentence(text=sentence, source=source, position=position, lead=lead)
            if len(paragraph) <= _LEAD_CHARS and paragraph.rstrip().endswith(":"):
                lead = paragraph
            elif not _LIST_START.match(paragraph):
                lead = ""


def rows(sources: tuple[Source, ...]) -> Iterator[Row]:
    """The rows of the sources' Markdown tables, and records written as "name: value; name: value"
    lines (a CSV's rows) read as rows of a table whose header is their names."""
    position = 0
    for source in sources:
        text = source.text
        for record in _RECORD_LINE.finditer(text):
            pairs = [pair.split(":", 1) for pair in record.group(0).split("; ") if ":" in pair]
            if len(pairs) >= 2:
                position += 1
                table = Table(header=("", *(k.strip() for k, _ in pairs)), rows=())
                yield Row(cells=("", *(v.strip() for _, v in pairs)), table=table, section="", title="",
                          source=source, position=position, label_at=_first_wordy(v for _, v in pairs) + 1)
        for table, start, _ in parse_tables(text):
            before = text[:start].rstrip("\n").rsplit("\n", 2)
            title = " ".join(part for part in [*before[-2:], table.caption or ""] if part and not part.startswith("|"))
            section = ""
            for cells in table.rows:
                position += 1
                wordy = [i for i, c in enumerate(cells) if _WORDY.search(c)]
                if not wordy:
                    continue
                # the label: the most descriptive of the first cells with words ("Прайс*" is a source code,
                # "Извещатель пожарный тип 1" the item)
                label_at = max(wordy[:3], key=lambda i: (len(_WORDY.findall(cells[i])), -i))
                if not any(cells[label_at + 1:]):
                    section = cells[label_at].rstrip(":")
                    continue
                row = Row(cells=cells, table=table, section=section, title=title, source=source, position=position,
                          label_at=label_at)
                yield row
                if row.label.casefold().startswith(("total", "итого", "всего")):
                    section = ""


def _first_wordy(values: Iterator[str]) -> int:
    return next((i for i, v in enumerate(values) if _WORDY.search(v)), 0)


def paragraphs(text: str) -> Iterator[str]:
    """Lines joined into paragraphs (a blank line always ends one; record lines are read as rows)."""
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip() and not _RECORD_LINE.fullmatch(line.strip())]
        current: list[str] = []
        for i, line in enumerate(lines):
            if current and _LIST_START.match(line):
                yield " ".join(current)
                current = []
            current.append(line)
            following = lines[i + 1] if i + 1 < len(lines) else ""
            ends = (bool(_LINE_END.search(line)) and not _ABBREVIATION.search(line)) or (
                len(line) < _SHORT_LINE and following[:1].isupper() and not line.endswith((",", "-", "–")))
            if ends and (not following or following[:1].isupper() or following[:1].isdigit()
                         or _LIST_START.match(following)):
                yield " ".join(current)
                current = []
        if current:
            yield " ".join(current)


def split_sentences(paragraph: str) -> list[str]:
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        head = paragraph[start:match.start()]
        if _ABBREVIATION.search(head) or re.search(r"\d\.$", head.rstrip()) and re.match(r"\d", paragraph[match.end():]):
            continue
        pieces.append(head.strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    out = []
    for piece in pieces:
        while len(piece) > _MAX_SENTENCE:  # a run-on "sentence" (a list, a form) cut at a clause
            cut = max(piece.rfind("; ", 0, _MAX_SENTENCE), piece.rfind(", ", 0, _MAX_SENTENCE))
            cut = cut if cut > _MAX_SENTENCE // 3 else _MAX_SENTENCE
            out.append(piece[:cut + 1].strip())
            piece = piece[cut + 1:].strip()
        if piece:
            out.append(piece)
    return out


def _without_tables(text: str) -> str:
    """The text with its Markdown tables cut out (they are read as rows)."""
    if "|" not in text:
        return text
    parts, last = [], 0
    for _, start, end in parse_tables(text):
        parts.append(text[last:start])
        last = end
    parts.append(text[last:])
    return "\n\n".join(parts)
