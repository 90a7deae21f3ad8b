"""The keyless answerer: the sentence or table value of the sources that answers the question.

Units (application.keyless.units) are scored by the share of the question's terms they hold,
each term weighted by its inverse frequency over the units (a word in every sentence tells
none apart); a table row counts its label and section fully and its table's title and column
names at half weight. How-much / how-many / what-share questions prefer units with numbers,
when-questions units with dates; a heading alone never answers. The best unit answers:
a row as "<label> was <value> <unit> for <period> [n]" with its column chosen by the period
asked (application.keyless.columns), a sentence as itself with its marker. A second unit is
added only when it holds question terms the first lacks and scores near it (no filler).

"Not in the document" when the best unit holds less than ``MIN_COVERAGE`` of the question's
terms that the sources contain, or those terms carry less than ``MIN_PRESENT`` of the question's
weight (a question about something the sources never name); both calibrated on SQuAD 2.0
(bench/retrieval.py). Words of the question absent from the sources ("latest", "buyback")
do not stop an answer by themselves. Deterministic."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import attrs

from application.concepts import Concept, concepts, holds, weights
from application.keyless.columns import choose_column
from application.keyless.phrasing import sentence_answer, table_answer
from application.keyless.units import Row, Sentence, paragraphs, rows, sentences, split_sentences
from application.ports.language_model import Source
from domain.questions import Kind, Profile, content, period_of, profile, question_date

MIN_COVERAGE = 0.4
MIN_PRESENT = 0.5
SECOND_SHARE = 0.8
SECONDARY = 0.5  # weight of a row's table title and column names
NUMBER_BONUS = 0.12
KIND_PENALTY = 0.15
LONG_SENTENCE = 25  # terms; a longer sentence loses LENGTH_PENALTY per doubling
LENGTH_PENALTY = 0.08
SUBJECT_WORDS = 6
SUBJECT_BONUS = 0.08
PHRASE_BONUS = 0.1
DEFINES_BONUS = 0.35
ROW_PRECISION = 0.1
LONG_LABEL = 12
PREFIX_CHARS = 5
PERIOD_BONUS = 0.15
_OVERVIEW_SENTENCES = 5
_NUMBER = re.compile(r"\d")
_AMOUNT = re.compile(r"[$€£₽]\s?\d|\d[\d,.]*\s?(%|percent|million|billion|thousand|руб|млн|млрд|тыс|евро|долл)"
                     r"|\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+", re.IGNORECASE)
_DATE = re.compile(r"\b(19|20)\d\d\b|\b\d{1,2}\.\d{1,2}\.(19|20)\d\d\b|\b\d+\s*(\([^)]{1,40}\)\s*)?([^\W\d]+\s+)?(days?|weeks?|"
                   r"months?|years?|дн\w*|недел\w*|месяц\w*|лет|год\w*|рабоч\w+|календарн\w+)\b|\b(january|february|"
                   r"march|april|may|june|july|august|september|october|november|december|январ|феврал|март|апрел|"
                   r"ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*", re.IGNORECASE)
_NEGATION = re.compile(r"\b(not|never|no|none|neither|nor|cannot|n't|without|не|нет|никогда|ни|без)\b", re.IGNORECASE)
_TWO_PARTS = re.compile(r",? and (what|how|when|where|who|which|at what|for how|is|are|was|were|did|does)\b|"
                        r",? и (как|какой|какая|какие|когда|где|кто|сколько|на какую|в какой)\b", re.IGNORECASE)
_COUNTED = re.compile(r"\b(шт|ед|pcs|units?|qty|quantity|кол-?во|количество|count|number)\b\.?", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]{2,}")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
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
class _Scored:
    unit: Sentence | Row
    score: float
    terms: frozenset[int]  # the concepts it holds


class KeylessAnswerer:
    def __init__(self, terms: Terms) -> None:
        self._terms = terms

    def answer(self, question: str, sources: tuple[Source, ...], language: str) -> str | None:
        """The answer with its markers, or None when the sources do not answer."""
        asked = profile(question)
        wanted = concepts(content(question), self._terms)
        if not wanted or not sources:
            return None
        units: list[tuple[Sentence | Row, set[str], set[str]]] = []
        for row in rows(sources):
            words = " ".join(c for c in row.cells if _WORDS.search(c))  # every cell with words (an item, a place)
            units.append((row, self._terms(f"{words} {row.section}"),
                          self._terms(" ".join([row.title, *row.table.header]))))
        for sentence in sentences(sources):
            if not _is_heading(sentence.text):
                units.append((sentence, self._terms(f"{sentence.lead} {sentence.text}"), set()))
        if not units:
            return None
        wanted = _with_prefixes(wanted, set().union(*(p | q for _, p, q in units)))
        idf = weights(wanted, [primary | secondary for _, primary, secondary in units])
        present = [w for w, held in idf if held]
        if not present:
            return None
        weight_present = sum(present)
        # a term no unit holds weighs as much as the held ones on average: a question mostly about
        # things the sources never name is not answered, one odd word ("latest", "buyback") is no matter
        weight_all = weight_present + (len(idf) - len(present)) * weight_present / len(present)
        if weight_present < MIN_PRESENT * weight_all:
            return None
        scored = [self._score(unit, primary, secondary, wanted, idf, weight_present, asked, question)
                  for unit, primary, secondary in units]
        scored.sort(key=lambda s: (-s.score, s.unit.position if isinstance(s.unit, Row) else 10**6 + s.unit.position))
        best = scored[0]
        if best.score < MIN_COVERAGE or (_NEGATION.search(question) and not _NEGATION.search(_text(best.unit))):
            return None  # too little of the question in the best unit, or it does not say what is asked not to be
        focus = self._focus(wanted, asked)
        parts = [self._phrase(best.unit, asked, question, language, focus)]
        following = self._completion(best, units, asked)
        if following is not None:  # "Subcontractors must be engaged. Their share must be 30%." : the next one holds it
            parts.append(sentence_answer(following.text, following.source.number, focus))
        if _TWO_PARTS.search(question):  # "how many shares, and for how much?": a second unit may add the rest
            for other in scored[1:6]:
                if other.score >= SECOND_SHARE * best.score and other.terms - best.terms and _text(other.unit) != _text(
                        best.unit):
                    parts.append(self._phrase(other.unit, asked, question, language, focus))
                    break
        return " ".join(p for p in parts if p)

    def notes(self, question: str, sources: tuple[Source, ...], limit: int = 3) -> str | None:
        """Plain cited sentences for a map step (read by the model again)."""
        wanted = concepts(question, self._terms)
        found = []
        for sentence in sentences(sources):
            held = self._terms(sentence.text)
            share = sum(holds(c, held) for c in wanted) / max(1, len(wanted))
            if share > 0 and not _is_heading(sentence.text):
                found.append((share, sentence))
        found.sort(key=lambda f: (-f[0], f[1].position))
        return " ".join(f"{s.text.rstrip('.')}. [{s.source.number}]" for _, s in found[:limit]) or None

    def _score(self, unit: Sentence | Row, primary: set[str], secondary: set[str], wanted: list[Concept],
               idf: list[tuple[float, bool]], total: float, asked: Profile, question: str) -> _Scored:
        held = {i for i, c in enumerate(wanted) if holds(c, primary)}
        half = {i for i, c in enumerate(wanted) if i not in held and holds(c, primary | secondary)}
        score = (sum(idf[i][0] for i in held) + SECONDARY * sum(idf[i][0] for i in half)) / (total or 1.0)
        text = _text(unit)
        score += self._period_fit(unit, text, asked, question)
        if isinstance(unit, Row):
            label = self._terms(unit.label)
            asked_terms = set().union(*(variant for concept in wanted for variant in concept))
            if label:  # "Total assets" answers "total assets?" better than "Total current assets" does
                score += ROW_PRECISION * len(label & asked_terms) / len(label)
            if len(primary) > LONG_LABEL:  # a label that is a sentence (a balance sheet's share counts)
                score -= LENGTH_PENALTY * math.log2(len(primary) / LONG_LABEL)
        if asked.wants_number:
            score += _number_fit(asked.kind, unit, text)
        elif asked.kind is Kind.DATE:
            score += NUMBER_BONUS if _DATE.search(text) else -KIND_PENALTY
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
            opening = self._terms(" ".join(text.split()[:SUBJECT_WORDS]))
            if held and sum(idf[i][0] for i in held if holds(wanted[i], opening)) >= 0.5 * sum(idf[i][0] for i in held):
                score += SUBJECT_BONUS  # the sentence is about what was asked ("The price of the contract is ...")
        return _Scored(unit=unit, score=score, terms=frozenset(held | half))

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

    def _phrase(self, unit: Sentence | Row, asked: Profile, question: str, language: str,
                focus: Callable[[str], float]) -> str:
        if isinstance(unit, Row):
            column = choose_column(unit.table.header, unit.cells, asked, question, self._terms, unit.label_at)
            if column is None:
                return sentence_answer(" | ".join(c for c in unit.cells if c), unit.source.number)
            return table_answer(unit, column, unit.source.number, language)
        return sentence_answer(unit.text, unit.source.number, focus)

    def _focus(self, wanted: list[Concept], asked: Profile) -> Callable[[str], float]:
        """A clause's worth for a quote: the concepts it holds, and the kind of value asked."""
        def worth(clause: str) -> float:
            held = self._terms(clause)
            score = float(sum(holds(c, held) for c in wanted))
            if (asked.wants_number and _AMOUNT.search(clause)) or (asked.kind is Kind.DATE and _DATE.search(clause)):
                score += 1.5
            return score
        return worth

    @staticmethod
    def _completion(best: _Scored, units: list[tuple[Sentence | Row, set[str], set[str]]],
                    asked: Profile) -> Sentence | None:
        """The sentence right after the best one, in the same source, when the best one lacks the
        kind of value asked (a number, a date) and that one has it."""
        unit = best.unit
        if not isinstance(unit, Sentence) or not (asked.wants_number or asked.kind is Kind.DATE):
            return None
        kind = _AMOUNT if asked.wants_number else _DATE
        if kind.search(_YEAR.sub(" ", unit.text) if asked.wants_number else unit.text):
            return None
        after = next((u for u, _, _ in units if isinstance(u, Sentence) and u.position == unit.position + 1), None)
        if after is None or after.source is not unit.source:
            return None
        return after if kind.search(_YEAR.sub(" ", after.text) if asked.wants_number else after.text) else None


def lead_sentences(sources: tuple[Source, ...], terms: Terms) -> str | None:
    """An overview: the first real sentence of up to ``_OVERVIEW_SENTENCES`` evenly spaced sources."""
    if not sources:
        return None
    step = max(1, len(sources) / _OVERVIEW_SENTENCES)
    picked = sorted({int(i * step) for i in range(_OVERVIEW_SENTENCES) if int(i * step) < len(sources)})
    chosen = []
    for index in picked:
        source = sources[index]
        candidates = [s for p in paragraphs(source.text) for s in split_sentences(p) if not s.startswith("|")]
        prose = [s for s in candidates if len(s.split()) >= 6 and s[-1] in ".!?…" and len(terms(s)) >= 4]
        lead = next(iter(prose), None) or next((s for s in candidates if len(terms(s)) >= 3), None)
        if lead:
            chosen.append(sentence_answer(lead, source.number))
    return " ".join(chosen) or None


def _with_prefixes(wanted: list[Concept], vocabulary: set[str]) -> list[Concept]:
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


def _number_fit(kind: Kind, unit: Sentence | Row, text: str) -> float:
    """How well a unit's numbers fit a how-much / how-many / what-share question: a table row or
    a sentence with the kind of number asked (an amount of money, a percentage, a count) gets the
    bonus, another number half of it, no number the penalty."""
    if isinstance(unit, Row):
        if kind is Kind.COUNT and not _COUNTED.search(" ".join([*unit.cells, *unit.table.header])):
            return NUMBER_BONUS / 2  # a count stands in a row with units ("шт.", "pcs") or a quantity column
        return NUMBER_BONUS
    text = _YEAR.sub(" ", text)  # a year is not the number asked for
    if kind is Kind.PERCENT:
        return NUMBER_BONUS if _PERCENT.search(text) else -KIND_PENALTY
    if kind is Kind.AMOUNT:
        return NUMBER_BONUS if _MONEY.search(text) else NUMBER_BONUS / 2 if _AMOUNT.search(text) else -KIND_PENALTY
    return NUMBER_BONUS if _NUMBER.search(text) else -KIND_PENALTY


def _text(unit: Sentence | Row) -> str:
    return unit.text if isinstance(unit, Sentence) else " | ".join(unit.cells)


def _is_heading(text: str) -> bool:
    """A title or heading line: short, no sentence end, no number."""
    words = text.split()
    return len(words) <= 8 and not _NUMBER.search(text) and text[-1:] not in ".!?…"
