"""Scoring the units of the sources against a question (application.keyless.answerer picks the best).

A unit scores the share of the question's concepts it holds (application.concepts), each weighted
by its inverse frequency over the units; a table row counts its cells with words, its section and
the name of the column that answers fully, its table's title and other column names at
``SECONDARY`` weight. Then, by what the question asks:
- a how-much / how-many / what-share question: a unit holding that kind of number (an amount of
  money, a percentage, a count beside its unit) gains, one without a number loses;
- a when-question: a date or a duration; a who-question: a name, an organisation (in a row: in the
  column that answers), a sentence that defines a party ("..., hereinafter the «Contractor»"); a where-question: an address;
- the period asked: a row whose chosen column is the date asked, a sentence naming it;
- a row whose label is just what was asked ("Total assets", not "Total current assets");
- a sentence that opens with what was asked, that holds the question's words side by side, that is
  short (a fact stands in a short sentence).
A concept no unit holds gets the sources' terms that extend it as variants (derivations)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import attrs

from application.concepts import Concept, holds
from application.keyless.answer_type import AnswerType
from application.keyless.columns import choose_column
from application.keyless.units import Row, Sentence
from domain.questions import Kind, Profile, content, period_of, question_date

SECONDARY = 0.5  # weight of a row's table title and column names
NUMBER_BONUS = 0.12
KIND_PENALTY = 0.15
LONG_SENTENCE = 25  # terms; a longer sentence loses LENGTH_PENALTY per doubling
LENGTH_PENALTY = 0.08
SUBJECT_WORDS = 6
SUBJECT_BONUS = 0.08
SEMANTIC = 0.4  # weight of the embeddings' cosine (+2.4 points of answers on SQuAD 2.0's even articles; the
# fit of application.keyless.answer_type's weights asked for 0.9, which cost 17 points of the SEC table answers)
PHRASE_BONUS = 0.1
DEFINES_BONUS = 0.35
ROW_PRECISION = 0.1
LONG_LABEL = 12
PREFIX_CHARS = 5
PERIOD_BONUS = 0.15
PREVIOUS_GAIN = 0.6  # times the share of the question's weight the sentence before adds (see with_neighbours)
NEXT_GAIN = 0.25
_NUMBER = re.compile(r"\d")
AMOUNT = re.compile(r"[$€£₽]\s?\d|\d[\d,.]*\s?(%|percent|million|billion|thousand|руб|млн|млрд|тыс|евро|долл)"
                     r"|\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+", re.IGNORECASE)
DATE = re.compile(r"\b(19|20)\d\d\b|\b\d{1,2}\.\d{1,2}\.(19|20)\d\d\b|\b\d+\s*(\([^)]{1,40}\)\s*)?([^\W\d]+\s+)?(days?|weeks?|"
                   r"months?|years?|дн\w*|недел\w*|месяц\w*|лет|год\w*|рабоч\w+|календарн\w+)\b|\b(january|february|"
                   r"march|april|may|june|july|august|september|october|november|december|январ|феврал|март|апрел|"
                   r"ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*", re.IGNORECASE)
_COUNTED = re.compile(r"\b(шт|ед|pcs|units?|qty|quantity|кол-?во|количество|count|number)\b\.?", re.IGNORECASE)
WORDS = re.compile(r"[^\W\d_]{2,}")
_VALUE = re.compile(r"\(?[$€£₽]?\s?[-−–]?\d[\d\s.,]*\)?\s?(%|руб\.?|тыс\.?\s?руб\.?|шт\.?)?")
YEAR = re.compile(r"\b(19|20)\d\d\b")
_PERCENT = re.compile(r"\d\s?(%|percent|процент)", re.IGNORECASE)
_MONEY = re.compile(r"[$€£₽]\s?\d|\d\s?(million|billion|thousand|руб|млн|млрд|тыс|евро|долл|usd|eur|rub)"
                    r"|\d{1,3}([ ,]\d{3})+", re.IGNORECASE)
_NAMED = re.compile(r"«[^»]{2,80}»|\"[A-ZА-ЯЁ][^\"]{1,80}\"|\b(ООО|ОАО|ЗАО|ПАО|АО|ИП|ГКУ|ФГУП|LLC|Inc|Ltd|GmbH|"
                    r"Corporation|Corp|Company)\b|\b[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+(вич|вна|ич)\w{0,3}\b")
# how a contract names a party or its signatory, or an address: where "who" and "where" answers stand
_DEFINES = re.compile(r"именуем\w* в дальнейшем|в дальнейшем именуем\w*|\bв лице\b|hereinafter|referred to as|"
                      r"represented by|\(the [“\"][A-Z]", re.IGNORECASE)
_ADDRESS = re.compile(r"\b(ул\.|улица|пр\.|проспект|пер\.|д\.\s?\d|дом \d|г\.\s?[А-ЯЁ]|street|avenue|road|suite)", re.IGNORECASE)
_QUOTED = re.compile(r"«([^»]{1,80})»|“([^”]{1,80})”|\"([^\"]{1,80})\"")
_WHERE = re.compile(r"\bадрес\w*|\bгде\b|\bwhere\b|\baddress\w*", re.IGNORECASE)

Terms = Callable[[str], set[str]]


@attrs.frozen
class Scored:
    """``score`` ranks; ``decided``: the score without the semantic part, which the decision to
    answer at all is taken on (calibrated before there was one)."""

    unit: Sentence | Row
    score: float
    terms: frozenset[int]  # the concepts it holds
    decided: float = 0.0


class Scorer:
    def __init__(self, terms: Terms) -> None:
        self._terms = terms

    def score(self, unit: Sentence | Row, primary: set[str], secondary: set[str], wanted: list[Concept],
               idf: list[tuple[float, bool]], total: float, asked: Profile, question: str,
               semantic: float = 0.0, answer_type: AnswerType | None = None) -> Scored:
        """``semantic``: the cosine of the question's and the unit's embeddings (0 without a model);
        ``answer_type``: what the question's wh-word asks for, which a sentence may hold."""
        full = primary
        if isinstance(unit, Row):  # the name of the column that answers counts as the row's own words
            column = choose_column(unit.table.header, unit.cells, asked, question, self._terms, unit.label_at)
            if column is not None and column < len(unit.table.header):
                full = primary | self._terms(unit.table.header[column])
        held = {i for i, c in enumerate(wanted) if holds(c, full)}
        half = {i for i, c in enumerate(wanted) if i not in held and holds(c, primary | secondary)}
        score = (sum(idf[i][0] for i in held) + SECONDARY * sum(idf[i][0] for i in half)) / (total or 1.0)
        text = text_of(unit)
        score += self._period_fit(unit, text, asked, question)
        if isinstance(unit, Row):
            label = self._terms(unit.label)
            asked_terms = set().union(*(variant for concept in wanted for variant in concept))
            if label:  # "Total assets" answers "total assets?" better than "Total current assets" does
                score += ROW_PRECISION * len(label & asked_terms) / len(label)
            if len(primary) > LONG_LABEL:  # a label that is a sentence (a balance sheet's share counts)
                score -= LENGTH_PENALTY * math.log2(len(primary) / LONG_LABEL)
        if asked.wants_number:
            score += number_fit(asked.kind, unit, text)
        elif asked.kind is Kind.DATE:
            score += NUMBER_BONUS if DATE.search(text) else -KIND_PENALTY
        elif asked.kind is Kind.NAME and isinstance(unit, Row):  # the column the question names holds a name
            column = choose_column(unit.table.header, unit.cells, asked, question, self._terms, unit.label_at)
            score += NUMBER_BONUS if column is not None and _NAMED.search(unit.cells[column]) else 0.0
        elif asked.kind is Kind.NAME and isinstance(unit, Sentence):
            score += NUMBER_BONUS if _NAMED.search(text) else 0.0
            if _DEFINES.search(text):  # "..., hereinafter the «Contractor»": the sentence names the party asked about
                quoted = self._terms(" ".join(part for found in _QUOTED.findall(text) for part in found))
                score += DEFINES_BONUS if any(holds(wanted[i], quoted) for i in held) else NUMBER_BONUS
        if _WHERE.search(question) and isinstance(unit, Sentence):
            score += NUMBER_BONUS if _ADDRESS.search(text) else 0.0
        if isinstance(unit, Sentence):
            if len(primary) > LONG_SENTENCE:  # a fact stands in a short sentence
                score -= LENGTH_PENALTY * math.log2(len(primary) / LONG_SENTENCE)
            score += PHRASE_BONUS * self._adjacency(question, f"{unit.lead} {text}")
            opening = self._terms(unit.lead or " ".join(text.split()[:SUBJECT_WORDS]))
            if held and sum(idf[i][0] for i in held if holds(wanted[i], opening)) >= 0.5 * sum(idf[i][0] for i in held):
                # the sentence is about what was asked ("The price of the contract is ..."), the more so
                # when its opening is nothing else ("Срок выполнения работ:", not "Гарантийный срок ...")
                asked_terms = set().union(*(variant for concept in wanted for variant in concept))
                score += SUBJECT_BONUS * (0.5 + 0.5 * len(opening & asked_terms) / max(1, len(opening)))
        kind = answer_type.bonus(text) if answer_type is not None and isinstance(unit, Sentence) else 0.0
        return Scored(unit=unit, score=score + SEMANTIC * semantic + kind, terms=frozenset(held | half), decided=score)

    def _adjacency(self, question: str, text: str) -> float:
        """The share of the question's consecutive word pairs that stand side by side in ``text``
        ("срок выполнения работ" in "Срок выполнения работ: 65 дней")."""
        asked = [t for t in self._sequence(content(question))]
        pairs = {(a, b) for a, b in zip(asked, asked[1:]) if a != b}
        if not pairs:
            return 0.0
        found = self._sequence(text)
        return len(pairs & set(zip(found, found[1:]))) / len(pairs)

    def _sequence(self, text: str) -> list[str]:
        return [t for word in text.split() for t in sorted(self._terms(word))]

    def _period_fit(self, unit: Sentence | Row, text: str, asked: Profile, question: str) -> float:
        """A unit that speaks of the period asked: a table row whose chosen column is the date
        named in the question (or, the question naming a period, a table of dated columns), a
        sentence that names that date."""
        period = asked.period
        if period.empty:
            return 0.0
        if isinstance(unit, Row):
            column = choose_column(unit.table.header, unit.cells, asked, question, self._terms, unit.label_at)
            if column is None or column >= len(unit.table.header):
                return 0.0
            named = period_of(unit.table.header[column])
            if period.end is not None:
                return PERIOD_BONUS if named.end == period.end else 0.0
            return PERIOD_BONUS / 2 if named.end is not None or named.year is not None else 0.0
        if period.end is not None and period.end == question_date(text):
            return PERIOD_BONUS
        return 0.0

def with_neighbours(scored: list[Scored], idf: list[tuple[float, bool]]) -> list[Scored]:
    """Each sentence gains for the question's concepts it lacks and the sentence before it (or, at
    ``NEXT_GAIN``, after it) in the same paragraph holds (a contract's clauses, each a paragraph,
    lend each other nothing), by their share of the question's weight:
    "They decided to switch to German ..." answers a question about the Berlin Huguenots whom the
    sentence before names. Weights fitted with application.keyless.answer_type's."""
    total = sum(weight for weight, _ in idf) or 1.0
    at = {s.unit.position: s for s in scored if isinstance(s.unit, Sentence)}
    out = []
    for s in scored:
        if isinstance(s.unit, Sentence):
            gain = 0.0
            for position, share in ((s.unit.position - 1, PREVIOUS_GAIN), (s.unit.position + 1, NEXT_GAIN)):
                other = at.get(position)
                if other is not None and other.unit.paragraph == s.unit.paragraph:
                    gain += share * sum(idf[i][0] for i in other.terms - s.terms) / total
            s = attrs.evolve(s, score=s.score + gain)
        out.append(s)
    return out


def with_prefixes(wanted: list[Concept], vocabulary: set[str]) -> list[Concept]:
    """Concepts no unit holds get, as variants, the sources' terms that extend their term or that
    it extends ("аванс" -> "авансирован", "subcontract" -> "subcontractor"): stemmers do not
    join a word's derivations."""
    out = []
    for concept in wanted:
        if len(concept) == 1 and len(concept[0]) == 1 and not any(v <= vocabulary for v in concept):
            (term,) = concept[0]
            related = sorted(t for t in vocabulary if len(t) >= PREFIX_CHARS and len(term) >= PREFIX_CHARS
                             and (t.startswith(term) or term.startswith(t)))[:3]
            concept = (*concept, *(frozenset({t}) for t in related))
        out.append(concept)
    return out


def number_fit(kind: Kind, unit: Sentence | Row, text: str) -> float:
    """How well a unit's numbers fit a how-much / how-many / what-share question: a table row or
    a sentence with the kind of number asked (an amount of money, a percentage, a count) gets the
    bonus, another number half of it, no number the penalty (a row: no number-only cell after its
    label)."""
    if isinstance(unit, Row):
        if not any(_VALUE.fullmatch(c.strip()) for c in unit.cells[unit.label_at + 1:]):
            return -KIND_PENALTY  # no number beside its label (a definition, a description): no amount
        if kind is Kind.COUNT and not _COUNTED.search(" ".join([*unit.cells, *unit.table.header])):
            return NUMBER_BONUS / 2  # a count stands in a row with units ("шт.", "pcs") or a quantity column
        return NUMBER_BONUS
    text = YEAR.sub(" ", text)  # a year is not the number asked for
    if kind is Kind.PERCENT:
        return NUMBER_BONUS if _PERCENT.search(text) else -KIND_PENALTY
    if kind is Kind.AMOUNT:
        return NUMBER_BONUS if _MONEY.search(text) else NUMBER_BONUS / 2 if AMOUNT.search(text) else -KIND_PENALTY
    return NUMBER_BONUS if _NUMBER.search(text) else -KIND_PENALTY


def text_of(unit: Sentence | Row) -> str:
    return unit.text if isinstance(unit, Sentence) else " | ".join(unit.cells)


def is_heading(text: str) -> bool:
    """A title or heading line: short, no sentence end, no number."""
    words = text.split()
    return len(words) <= 8 and not _NUMBER.search(text) and text[-1:] not in ".!?…"
