"""Where a piece of text stands in its document: a page, a cell range, a section, a time range."""

from __future__ import annotations

from typing import Any

import attrs


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

    def label(self) -> str:
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.sheet is not None:
            parts.append(f"{self.sheet}!{self.cells}" if self.cells else f"sheet {self.sheet}")
        if self.section:
            parts.append(f'section "{self.section}"')
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        if self.line_start is not None:
            end = self.line_end if self.line_end is not None else self.line_start
            parts.append(f"line {self.line_start}" if end == self.line_start else f"lines {self.line_start}-{end}")
        if self.start_seconds is not None:
            end_s = self.end_seconds if self.end_seconds is not None else self.start_seconds
            parts.append(f"{_clock(self.start_seconds)}-{_clock(end_s)}")
        return ", ".join(parts) or "document"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Locator:
        names = {f.name for f in attrs.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def merge_label(locators: list[Locator] | tuple[Locator, ...]) -> str:
    """One label for a run of locators, e.g. "pages 3-4" or 'section "Terms", paragraphs 2-5'."""
    if not locators:
        return "document"
    first, last = locators[0], locators[-1]
    if len(locators) == 1 or first == last:
        return first.label()
    if first.page is not None and last.page is not None and first.page != last.page:
        return f"pages {first.page}-{last.page}"
    if first.line_start is not None and last.line_start is not None:
        merged = attrs.evolve(first, line_end=last.line_end or last.line_start)
        return merged.label()
    if first.start_seconds is not None and last.end_seconds is not None:
        return attrs.evolve(first, end_seconds=last.end_seconds).label()
    if first.paragraph is not None and last.paragraph is not None and first.section == last.section:
        head = f'section "{first.section}", ' if first.section else ""
        return f"{head}paragraphs {first.paragraph}-{last.paragraph}"
    return f"{first.label()} to {last.label()}"
