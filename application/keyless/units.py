"""The pieces of the sources an answer can be made of: sentences and table rows.

Sentences: domain.sentences (lines joined into paragraphs across wraps, cut into sentences), each
with the lead line of its list, if any.

Rows: every row of every Markdown table (domain.tables), with its column names, the table's
caption and the line above the table (a statement's title), and the section row it stands
under ("Operating expenses:" above "Research and development")."""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from application.ports.language_model import Source
from domain.sentences import LIST_START as _LIST_START
from domain.sentences import RECORD_LINE as _RECORD_LINE
from domain.sentences import paragraphs, split_sentences
from domain.tables import Table, parse_tables

_LEAD_CHARS = 120
_HEADING = re.compile(r"^#{1,6}\s+\S|^(?=.{3,80}$)(?=[^\W_])(?!.*[.!?…;,]$)(?:\S+\s+){0,7}\S+$")
_WORDY = re.compile(r"[^\W\d_]{2,}")
_CLAUSE_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,3}){1,3})\.?\s")  # "9.2.1. ", a contract's clause


@attrs.frozen
class Sentence:
    """``lead``: the short line ending in a colon that introduces the sentence's paragraph
    ("Срок выполнения работ:" above "- окончание: не позднее 65 дней"), "" when none."""

    text: str
    source: Source
    position: int  # order in the sources
    lead: str = ""
    paragraph: int = 0  # order of its paragraph in the sources


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
    position = block = 0
    for source in sources:
        text = _without_tables(source.text)
        lead = ""
        for paragraph in paragraphs(text):
            block += 1
            item = bool(_LIST_START.match(paragraph)) or _nested(paragraph, lead)
            if lead and not item and not lead_is_heading(lead):
                lead = ""  # the list it led has ended
            for sentence in split_sentences(paragraph):
                position += 1
                yield Sentence(text=sentence, source=source, position=position, lead=lead, paragraph=block)
            if len(paragraph) <= _LEAD_CHARS and paragraph.rstrip().endswith(":"):
                lead = paragraph  # a list's lead, until the list ends
            elif not item and _HEADING.match(paragraph):
                lead = paragraph.lstrip("# ")  # a heading: its section's sentences are about it


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
            title = _title(text[:start], table.caption)
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
                    if label_at == wordy[0] or sum(1 for c in cells if c) != 2:  # a label alone: a section
                        section = cells[label_at].rstrip(":")
                        continue
                    label_at = wordy[0]  # a term and its wordier definition ("КСОБ | Комплексные системы ...")
                row = Row(cells=cells, table=table, section=section, title=title, source=source, position=position,
                          label_at=label_at)
                yield row
                if row.label.casefold().startswith(("total", "итого", "всего")):
                    section = ""


def _title(before: str, caption: str | None) -> str:
    """The two lines above a table (a statement's title and its unit line), its caption among
    them once (parse_tables reads the caption from the line above)."""
    parts: list[str] = []
    for part in [*(line.strip() for line in before.rstrip("\n").rsplit("\n", 2)[-2:]), (caption or "").strip()]:
        if part and not part.startswith("|") and part not in parts:
            parts.append(part)
    return " ".join(parts)


def _nested(paragraph: str, lead: str) -> bool:
    """A clause numbered under its lead's number ("9.2.1. ..." under "9.2. ... in these cases:"):
    an item of the list the lead announces; "9.3." is the next clause, not an item."""
    inner, outer = _CLAUSE_NUMBER.match(paragraph), _CLAUSE_NUMBER.match(lead)
    return bool(inner and outer and inner.group(1).startswith(outer.group(1) + "."))


def lead_is_heading(lead: str) -> bool:
    return bool(lead) and not lead.rstrip().endswith(":")


def _first_wordy(values: Iterator[str]) -> int:
    return next((i for i, v in enumerate(values) if _WORDY.search(v)), 0)


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
