"""Which column of a table answers a question: by the period asked, else by the column's name.

Each column header is read as a period (domain.questions.period_of: "Three Months Ended July 1,
2023" is 3 months ending 2023-07-01; "September 24, 2022" a date). The question's period narrows
the columns: its date, its span (a quarter, six or nine months; year to date is the longest
span), its year; "a year earlier" / "previous" takes the earlier of what is left and "latest" or
nothing the latest (most tables put it first). A question about a change takes a column named
"Change" or "%". Tables whose headers are not periods (an inventory, a price list) take the
column whose name the question uses, else the first column holding a value."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from domain.questions import Kind, Period, Profile, Relative, period_of

Analyze = Callable[[str], set[str]]
_CHANGE_WORDS = re.compile(r"\b(change[ds]?|increase[ds]?|decrease[ds]?|grow|grew|growth|decline[ds]?|rise|rose|fell|"
                           r"fall|drop(ped)?|up|down|year[- ]over[- ]year|yoy|измени\w*|рост\w*|сниж\w*|увелич\w*)\b",
                           re.IGNORECASE)
_NUMERIC_CELL = re.compile(r"[\s$€£₽(−–-]*\d[\d\s,.]*\)?\s*(%|руб\.?|rub|eur|usd|шт\.?|pcs)?", re.IGNORECASE)
_COUNT_UNIT = re.compile(r"(шт|ед|pcs|units?|компл|уп|ea)\.?", re.IGNORECASE)
_CHANGE_HEADER = re.compile(r"change|%|variance|измен", re.IGNORECASE)
# "how many", "how much", "сколько": the column names of the kind of value the question asks
# (domain.questions.profile: "сколько извещателей" a count, "сколько стоит" an amount)
_ASKS_QUANTITY = re.compile(r"\bhow (many|much)\b|\bсколько\b", re.IGNORECASE)
_KIND_NAMES = {
    Kind.COUNT: "quantity qty units count number stock pieces количество кол-во шт",
    Kind.AMOUNT: "amount total price cost value sum сумма стоимость цена",
}
# words questions use for common column names
_SYNONYMS = {"price": "price cost rate unit цена стоимость", "cost": "cost price стоимость цена"}


def choose_column(header: Sequence[str], values: Sequence[str], profile: Profile, question: str,
                  analyze: Analyze, label_at: int = 0) -> int | None:
    """The index (into ``header``/``values``) of the answering column among those after the row's
    label (at ``label_at``), or None when the row holds no value."""
    label = values[label_at].strip().casefold() if label_at < len(values) else ""
    filled = [i for i in range(label_at + 1, len(values))
              if values[i].strip() and values[i].strip() not in {"$", "%"} and values[i].strip().casefold() != label]
    if not filled:
        return None
    if profile.kind is Kind.COUNT:  # "| шт. | 731 |": the quantity follows its unit of count
        counted = [i + 1 for i in filled if _COUNT_UNIT.fullmatch(values[i].strip()) and i + 1 in filled]
        if counted:
            return counted[0]
    if profile.wants_number:  # an amount, a count or a share stands in a cell holding a number, not a name
        filled = [i for i in filled if _NUMERIC_CELL.fullmatch(values[i].strip())]
        if not filled:  # a row of names and descriptions holds no value of that kind
            return None
    if _CHANGE_WORDS.search(question):
        change = [i for i in filled if i < len(header) and _CHANGE_HEADER.search(header[i])]
        if change:
            return change[0]
    periods = {i: period_of(header[i]) if i < len(header) else Period() for i in filled}
    dated = [i for i in filled if periods[i].end is not None or periods[i].year is not None]
    if dated:
        return _by_period(dated, periods, profile.period)
    named = _by_name(filled, header, question, analyze, profile.kind)
    return named if named is not None else filled[0]


def _by_period(columns: list[int], periods: dict[int, Period], asked: Period) -> int:
    chosen = columns
    if asked.end is not None:
        same = [i for i in chosen if periods[i].end == asked.end]
        chosen = same or chosen
    if asked.cumulative:
        spans = [periods[i].months for i in chosen if periods[i].months]
        if spans:
            chosen = [i for i in chosen if periods[i].months == max(spans)] or chosen
    elif asked.months is not None:
        chosen = [i for i in chosen if periods[i].months == asked.months] or chosen
    elif any(periods[i].months for i in chosen):  # no span asked: the shortest (the quarter) first
        spans = [periods[i].months for i in chosen if periods[i].months]
        chosen = [i for i in chosen if periods[i].months == min(spans)] or chosen
    if asked.end is None and asked.year is not None:
        same = [i for i in chosen if _year(periods[i]) == asked.year]
        if not same and asked.fiscal:  # a fiscal year named after the calendar year it ends in
            same = [i for i in chosen if _year(periods[i]) == asked.year - 1]
        chosen = same or chosen
    ordered = sorted(chosen, key=lambda i: (period_key(periods[i]), -i), reverse=True)  # latest first
    if asked.relative is Relative.PREVIOUS and len(ordered) > 1 and (asked.end is None or len(chosen) > 1):
        return ordered[1]
    return ordered[0]


def _year(period: Period) -> int | None:
    return period.end.year if period.end is not None else period.year


def period_key(period: Period) -> tuple[int, int, int]:
    """Orders periods by their end: a date, else a year."""
    if period.end is not None:
        return (period.end.year, period.end.month, period.end.day)
    return (period.year or 0, 0, 0)


def _by_name(columns: list[int], header: Sequence[str], question: str, analyze: Analyze, kind: Kind) -> int | None:
    asked = analyze(question)
    folded = question.casefold()
    if _ASKS_QUANTITY.search(question) and kind in _KIND_NAMES:
        asked |= analyze(_KIND_NAMES[kind])
    for phrase, words in _SYNONYMS.items():
        if phrase in folded:
            asked |= analyze(words)
    scores = {i: len(asked & analyze(header[i])) for i in columns if i < len(header)}
    best = max(scores.values(), default=0)
    return next(i for i in columns if scores.get(i) == best) if best > 0 else None

