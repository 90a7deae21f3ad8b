"""A question, its answer and the citations that ground it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import attrs

from domain.locators import Locator, locator_words, merge_label

_CITATION_RE = re.compile(r"\[(\d{1,3})\]")


@attrs.frozen(kw_only=True)
class Citation:
    """Source ``number`` as shown to the model, mapped back to where the text stands."""

    number: int
    document_id: uuid.UUID
    chunk_ordinal: int
    locators: tuple[Locator, ...]
    quote: str

    @property
    def label(self) -> str:
        return merge_label(self.locators)

    def label_in(self, language: str | None) -> str:
        """The label in ``language`` ("ru": "стр. 12"); English for a language without label words."""
        return merge_label(self.locators, locator_words(language))

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "document_id": str(self.document_id),
            "chunk_ordinal": self.chunk_ordinal,
            "locators": [loc.to_dict() for loc in self.locators],
            "label": self.label,
            "quote": self.quote,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        return cls(
            number=int(data["number"]),
            document_id=uuid.UUID(data["document_id"]),
            chunk_ordinal=int(data["chunk_ordinal"]),
            locators=tuple(Locator.from_dict(d) for d in data.get("locators", [])),
            quote=data.get("quote", ""),
        )


@attrs.define(kw_only=True)
class Conversation:
    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    user_id: uuid.UUID
    document_id: uuid.UUID | None
    question: str
    answer: str
    citations: list[Citation] = attrs.field(factory=list)
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    model: str
    latency_ms: int = 0
    cached: bool = False
    created_at: datetime
    thread_id: uuid.UUID | None = None  # the thread the question was asked in (domain.threads)


@attrs.frozen(kw_only=True)
class DailyUsage:
    """A user's questions, tokens and cost on one UTC day."""

    day: date
    questions: int = 0
    cached: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0


@attrs.frozen(kw_only=True)
class PeriodUsage:
    """A period's questions read at once, for a report: the days with questions (oldest first),
    their latencies as counts by domain.latency bucket index (absent: 0), and, when asked for,
    how many distinct users asked."""

    daily: tuple[DailyUsage, ...]
    latency_histogram: Mapping[int, int]
    users: int | None = None


def every_day(daily: Iterable[DailyUsage], first: date, last: date) -> tuple[DailyUsage, ...]:
    """One row per day from ``first`` to ``last``, zeros for the days ``daily`` leaves out."""
    known = {d.day: d for d in daily}
    return tuple(known.get(first + timedelta(days=i)) or DailyUsage(day=first + timedelta(days=i))
                 for i in range((last - first).days + 1))


def period_start(now: datetime, days: int) -> datetime:
    """Midnight UTC that opens the last ``days`` UTC days, today included."""
    first_day = now.astimezone(UTC).date() - timedelta(days=days - 1)
    return datetime.combine(first_day, time(), tzinfo=UTC)


class DailyTotals:
    """Totals over a report's ``daily`` rows (mixed into the reports that carry them)."""

    daily: tuple[DailyUsage, ...]

    @property
    def questions(self) -> int:
        return sum(d.questions for d in self.daily)

    @property
    def cached(self) -> int:
        return sum(d.cached for d in self.daily)

    @property
    def tokens_in(self) -> int:
        return sum(d.tokens_in for d in self.daily)

    @property
    def tokens_out(self) -> int:
        return sum(d.tokens_out for d in self.daily)

    @property
    def cost_usd(self) -> float:
        return round(sum(d.cost_usd for d in self.daily), 6)


def daily_usage(conversations: Iterable[Conversation]) -> list[DailyUsage]:
    """Totals per UTC day, oldest day first (days without questions are absent)."""
    days: dict[date, DailyUsage] = {}
    for c in conversations:
        day = c.created_at.astimezone(UTC).date()
        d = days.get(day) or DailyUsage(day=day)
        days[day] = DailyUsage(day=day, questions=d.questions + 1, cached=d.cached + int(c.cached),
                               tokens_in=d.tokens_in + c.tokens_in, tokens_out=d.tokens_out + c.tokens_out,
                               cost_usd=round(d.cost_usd + c.cost_usd, 6))
    return [days[day] for day in sorted(days)]


def cited_numbers(answer: str) -> list[int]:
    """Source numbers an answer cites as ``[n]``, in order of first appearance."""
    seen: list[int] = []
    for match in _CITATION_RE.finditer(answer):
        number = int(match.group(1))
        if number not in seen:
            seen.append(number)
    return seen
