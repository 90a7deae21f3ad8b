"""Where a piece of text stands in its document: a page, a cell range, a section, a time range;
and its label ("page 12", "Sheet1!B4:D9") in English or Russian."""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class LocatorWords:
    """The words a label is made of, in one language."""

    page: str
    pages: str
    sheet: str
    section: str
    paragraph: str
    paragraphs: str
    line: str
    lines: str
    document: str
    to: str  # between the labels of two places a merged label cannot name as one range


ENGLISH = LocatorWords(page="page", pages="pages", sheet="sheet", section='section "{}"', paragraph="paragraph",
                       paragraphs="paragraphs", line="line", lines="lines", document="document", to=" to ")
RUSSIAN = LocatorWords(page="стр.", pages="стр.", sheet="лист", section="раздел «{}»", paragraph="абзац",
                       paragraphs="абзацы", line="строка", lines="строки", document="документ", to=" — ")
_WORDS = {"en": ENGLISH, "ru": RUSSIAN}


def locator_words(language: str | None) -> LocatorWords:
    """The label words of ``language`` (a code such as "ru" or "ru-RU"); English for any other."""
    return _WORDS.get((language or "en").split("-")[0].casefold(), ENGLISH)


def _clock(seconds: float) -> str:
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@attrs.frozen(kw_only=True)
class Locator:
    """Any combination of fields may be set; ``label`` renders what is set, most precise last."""

    page: int | None = None
    sheet: str | None = None
    cells: str | None = None
    section: str | None = None
    paragraph: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    start_seconds: float | None = None
    end_seconds: float | None = None

    def label(self, words: LocatorWords = ENGLISH) -> str:
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"{words.page} {self.page}")
        if self.sheet is not None:
            parts.append(f"{self.sheet}!{self.cells}" if self.cells else f"{words.sheet} {self.sheet}")
        if self.section:
            parts.append(words.section.format(self.section))
        if self.paragraph is not None:
            parts.append(f"{words.paragraph} {self.paragraph}")
        if self.line_start is not None:
            end = self.line_end if self.line_end is not None else self.line_start
            parts.append(f"{words.line} {self.line_start}" if end == self.line_start
                         else f"{words.lines} {self.line_start}-{end}")
        if self.start_seconds is not None:
            end_s = self.end_seconds if self.end_seconds is not None else self.start_seconds
            parts.append(f"{_clock(self.start_seconds)}-{_clock(end_s)}")
        return ", ".join(parts) or words.document

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Locator:
        names = {f.name for f in attrs.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def merge_label(locators: list[Locator] | tuple[Locator, ...], words: LocatorWords = ENGLISH) -> str:
    """One label for a run of locators, e.g. "pages 3-4" or 'section "Terms", paragraphs 2-5'."""
    if not locators:
        return words.document
    first, last = locators[0], locators[-1]
    if len(locators) == 1 or first == last:
        return first.label(words)
    if first.page is not None and last.page is not None and first.page != last.page:
        return f"{words.pages} {first.page}-{last.page}"
    if first.line_start is not None and last.line_start is not None:
        merged = attrs.evolve(first, line_end=last.line_end or last.line_start)
        return merged.label(words)
    if first.start_seconds is not None and last.end_seconds is not None:
        return attrs.evolve(first, end_seconds=last.end_seconds).label(words)
    if first.paragraph is not None and last.paragraph is not None and first.section == last.section:
        head = words.section.format(first.section) + ", " if first.section else ""
        return f"{head}{words.paragraphs} {first.paragraph}-{last.paragraph}"
    return f"{first.label(words)}{words.to}{last.label(words)}"
