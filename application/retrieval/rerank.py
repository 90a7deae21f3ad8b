"""Re-ranking the candidates of the index lookups by what the question asks.

Each candidate scores a weighted sum of:
- ``fused``: its reciprocal-rank fusion of the lexical and dense lookups, relative to the best;
- ``coverage``: the share of the question's terms it holds, each weighted by how few candidates
  hold it (a word in every candidate tells none apart);
- ``line``: the same share within its best sentence or table row, a row counting its table's header
  (the row "Total net sales" under "Three Months Ended July 1, 2023" holds all of "net sales in the
  quarter ended July 1, 2023"): a fact stands in one sentence or row far more often than spread
  over a chunk;
- ``number``: for a how-much / how-many / what-share question, that best unit holds a number;
- ``period``: the date or year the question names is in the text.
Boilerplate (domain.boilerplate) keeps ``BOILERPLATE`` of its score."""

from __future__ import annotations

import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence

import attrs

from application.concepts import Concept, holds, weights
from domain.chunks import Chunk
from domain.questions import MONTHS, Profile
from domain.sentences import paragraphs, split_sentences

WEIGHTS = {"fused": 0.30, "coverage": 0.25, "line": 0.35, "number": 0.05, "period": 0.12}
BOILERPLATE = 0.75
_DIGIT = re.compile(r"\d")
_MONTH_NAMES = {number: [n for n, m in MONTHS.items() if m == number and len(n) > 3] for number in range(1, 13)}

Analyze = Callable[[str], list[str]]


@attrs.frozen
class Candidate:
    chunk: Chunk
    fused: float
    boilerplate: bool = False


@attrs.frozen
class Ranked:
    chunk: Chunk
    score: float
    line: float  # the best line's share of the question's terms (the keyless answerer's confidence)


class LineTerms:
    """Each chunk's per-line terms (``_line_terms``), kept for the ``capacity`` chunks analysed
    last: a library's passages come back question after question."""

    def __init__(self, capacity: int = 8192) -> None:
        self._items: OrderedDict[tuple[uuid.UUID, str], list[tuple[str, set[str]]]] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def __call__(self, chunk: Chunk, analyze: Analyze, language: str) -> list[tuple[str, set[str]]]:
        key = (chunk.id, language)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        found = _line_terms(chunk.text, analyze)
        with self._lock:
            self._items[key] = found
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return found


LINE_TERMS = LineTerms()


def rerank(candidates: Sequence[Candidate], wanted: Sequence[Concept], profile: Profile,
           analyze: Analyze, language: str = "und") -> list[Ranked]:
    """The candidates best first (ties in the order given)."""
    if not candidates:
        return []
    lines = [LINE_TERMS(c.chunk, analyze, language) for c in candidates]
    chunk_terms = [set().union(*(terms for _, terms in ls)) if ls else set() for ls in lines]
    weight = [w + 0.1 for w, _ in weights(wanted, chunk_terms)]
    total = sum(weight) or 1.0
    best_fused = max(c.fused for c in candidates) or 1.0
    periods = _period_forms(profile)
    vocabulary = frozenset().union(*(variant for concept in wanted for variant in concept))

    def share(terms: set[str]) -> float:  # a unit holding none of the question's terms holds no concept
        if terms.isdisjoint(vocabulary):
            return 0.0
        return sum(w for w, c in zip(weight, wanted, strict=True) if holds(c, terms)) / total

    ranked = []
    for candidate, terms, per_line in zip(candidates, chunk_terms, lines, strict=True):
        coverage = share(terms)
        line_scores = [share(terms) for _, terms in per_line] or [0.0]
        best = max(range(len(line_scores)), key=line_scores.__getitem__)
        number = profile.wants_number and bool(per_line) and bool(_DIGIT.search(per_line[best][0]))
        folded = " ".join(candidate.chunk.text.casefold().split())
        period = max((weight for forms, weight in periods if any(f in folded for f in forms)), default=0.0)
        score = (WEIGHTS["fused"] * candidate.fused / best_fused + WEIGHTS["coverage"] * coverage
                 + WEIGHTS["line"] * line_scores[best] + WEIGHTS["number"] * number + WEIGHTS["period"] * period)
        if candidate.boilerplate:
            score *= BOILERPLATE
        ranked.append(Ranked(chunk=candidate.chunk, score=score, line=line_scores[best]))
    order = sorted(range(len(ranked)), key=lambda i: (-ranked[i].score, i))
    return [ranked[i] for i in order]


def _line_terms(text: str, analyze: Analyze) -> list[tuple[str, set[str]]]:
    """The chunk's units with their terms: each prose sentence (lines joined across wraps,
    domain.sentences) and each table row, a row's terms including its table's header, its caption,
    the line above the table (its title: "revenue by each of the specialized markets") and the
    section row it stands under ("Revenue:" above "Gaming")."""
    lines = text.split("\n")
    units: list[tuple[str, set[str]]] = []
    prose: list[str] = []

    def flush() -> None:
        for paragraph in paragraphs("\n".join(prose)):
            for sentence in split_sentences(paragraph):
                units.append((sentence, set(analyze(sentence))))
        prose.clear()

    context: set[str] = set()
    section: set[str] = set()
    previous = ""
    in_table = False
    for line in lines:
        if not line.startswith("|"):
            if in_table:
                in_table = False
            prose.append(line)
            if line.strip():
                previous = line
            continue
        if not in_table:  # a table starts: its header line, the separator, then rows
            flush()
            in_table, section = True, set()
            context = set(analyze(f"{line} {previous}"))
            continue
        if line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        terms = set(analyze(line))
        if cells and cells[0] and not any(cells[1:]):
            section = terms  # a section row: its label heads the rows below it
        units.append((line, terms | context | section))
    flush()
    return units


def _period_forms(profile: Profile) -> list[tuple[list[str], float]]:
    """Spellings of the question's date ("july 1, 2023", "1 июля 2023", "01.07.2023") and year."""
    period = profile.period
    forms: list[tuple[list[str], float]] = []
    if period.end is not None:
        d = period.end
        spelt = [f"{name} {d.day}, {d.year}" for name in _MONTH_NAMES[d.month]]
        spelt += [f"{d.day} {name} {d.year}" for name in _MONTH_NAMES[d.month]]
        spelt.append(f"{d.day:02d}.{d.month:02d}.{d.year}")
        forms.append((spelt, 1.0))
        forms.append(([str(d.year)], 0.3))
    elif period.year is not None:
        forms.append(([str(period.year)], 0.5))
    return forms
