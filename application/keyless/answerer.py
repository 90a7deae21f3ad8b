"""The keyless answerer: the sentence or table value of the sources that answers the question.

Units (application.keyless.units) are scored by the share of the question's terms they hold,
each term weighted by its inverse frequency over the units (a word in every sentence tells
none apart); a table row counts its label, section and the name of the column that answers
fully, its table's title and other column names at half weight. How-much / how-many / what-share questions prefer units with numbers,
when-questions units with dates, who / when / where questions sentences holding a new name, year
or place (application.keyless.answer_type); a sentence also gains for the question's words the
sentence before or after it in its paragraph holds (scoring.with_neighbours: "They decided ..."
after the sentence naming them); a question asking what an abbreviation means prefers the unit
that spells it out (application.keyless.acronyms); a heading alone never answers. The best unit answers:
a row as "<label> was <value> <unit> for <period> [n]" with its column chosen by the period
asked (application.keyless.columns), a sentence as itself with its marker. A second part is
added only for a question in two parts (the row's other column, else a unit holding question
terms the first lacks and scoring near it: no filler), or when the best sentence announces
the next one ("... by the formula:") or lacks the number or date the next one holds.

"Not in the document" when the question's terms the sources contain carry less than
``MIN_PRESENT`` of its weight (a question about something the sources never name); else, for a
best sentence, when the logistic model of application.keyless.answerable (margin over the next
unit, the question's weight and its names and numbers the sentence and its neighbours lack, the
cosine, negation, the kind asked), fitted on SQuAD 2.0's even articles, says so, or the sentence
holds another word in place of one of the question's (application.keyless.swaps); for a best table
row, when it holds less than ``MIN_COVERAGE`` of the question's terms that the sources contain, or
the question is negated and the row is not. Words of the question absent from the sources
("latest", "buyback") do not stop an answer by themselves. Deterministic."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from application.concepts import Concept, concepts, holds, weights
from application.keyless.acronyms import with_expansions
from application.keyless.answer_type import AnswerType
from application.keyless.answerable import NEGATION, evidence
from application.keyless.columns import choose_column
from application.keyless.phrasing import sentence_answer, table_answer
from application.keyless.scoring import (
    AMOUNT,
    DATE,
    WORDS,
    YEAR,
    Scored,
    Scorer,
    Terms,
    is_heading,
    text_of,
    with_neighbours,
    with_prefixes,
)
from application.keyless.units import Row, Sentence, rows, sentences
from application.ports.language_model import Source

Similarities = Callable[[str, list[str]], list[float]]
from domain.language import script_of
from domain.questions import Kind, Profile, content, profile

MIN_COVERAGE = 0.4
MIN_PRESENT = 0.5
SECOND_SHARE = 0.8
_TWO_PARTS = re.compile(r",? and (what|how|when|where|who|which|at what|for how|is|are|was|were|did|does)\b|"
                        r",? и (как|какой|какая|какие|когда|где|кто|сколько|на какую|в какой)\b", re.IGNORECASE)
class KeylessAnswerer:
    def __init__(self, terms: Terms, similarities: Similarities | None = None) -> None:
        """``similarities(question, texts)``: cosines by an embedding model, or None (words alone)."""
        self._terms = terms
        self._scorer = Scorer(terms)
        self._similarities = similarities

    def answer(self, question: str, sources: tuple[Source, ...], language: str) -> str | None:
        """The answer with its markers, or None when the sources do not answer."""
        asked = profile(question)
        wanted = _in_sources_script(concepts(content(question), self._terms), question, sources)
        if not wanted or not sources:
            return None
        units: list[tuple[Sentence | Row, set[str], set[str]]] = []
        for row in rows(sources):
            words = " ".join(c for c in row.cells if WORDS.search(c))  # every cell with words (an item, a place)
            units.append((row, self._terms(f"{words} {row.section}"),
                          self._terms(" ".join([row.title, *row.table.header]))))
        for sentence in sentences(sources):
            if not is_heading(sentence.text):
                units.append((sentence, self._terms(f"{sentence.lead} {sentence.text}"), set()))
        if not units:
            return None
        wanted = with_prefixes(wanted, set().union(*(p | q for _, p, q in units)))
        idf = weights(wanted, [primary | secondary for _, primary, secondary in units])
        present = [w for w, held in idf if held]
        if not present:
            return None
        weight_present = sum(present)
        # a term no unit holds weighs as much as the held ones on average: a question mostly about
        # things the sources never name is not answered, one odd word ("latest", "buyback") is no matter
        weight_all = weight_present + (len(idf) - len(present)) * weight_present / len(present)
        if weight_present < MIN_PRESENT * weight_all:  # decided before the embeddings are asked
            return None
        semantic = self._semantic(question, [unit for unit, _, _ in units])
        kind = AnswerType(question, self._terms)
        scored = [self._scorer.score(unit, primary, secondary, wanted, idf, weight_present, asked, question, near, kind)
                  for (unit, primary, secondary), near in zip(units, semantic or [0.0] * len(units), strict=True)]
        scored = with_expansions(with_neighbours(scored, idf), question)
        scored.sort(key=lambda s: (-s.score, s.unit.position if isinstance(s.unit, Row) else 10**6 + s.unit.position))
        best = scored[0]
        cosine = None if semantic is None else dict(zip((id(u) for u, _, _ in units), semantic))[id(best.unit)]
        if not self._answers(best, scored, units, wanted, idf, question, kind, cosine):
            return None
        focus = self._focus(wanted, asked)
        following = self._completion(best, units, asked)
        if following is not None and announces(best.unit):  # its end, then what it announces
            parts = [sentence_answer(best.unit.text, best.unit.source.number, ending=True)]
        else:
            parts = [self._phrase(best.unit, asked, question, language, focus)]
        if following is not None:  # "Subcontractors must be engaged. Their share must be 30%." : the next one holds it
            parts.append(sentence_answer(following.text, following.source.number, focus))
        second = _TWO_PARTS.search(question)
        if second and isinstance(best.unit, Row):  # "сколько модулей и на какую сумму?": the row's other column
            parts.append(self._second_value(best.unit, question, second.start(), parts[0], language))
        if second and len(parts) == 1:  # "how many shares, and for how much?": a second unit may add the rest
            for other in scored[1:6]:
                if other.decided >= SECOND_SHARE * best.decided and other.terms - best.terms and text_of(other.unit) != text_of(
                        best.unit):
                    parts.append(self._phrase(other.unit, asked, question, language, focus))
                    break
        return " ".join(p for p in parts if p)

    def _answers(self, best: Scored, scored: list[Scored], units: list[tuple[Sentence | Row, set[str], set[str]]],
                 wanted: list[Concept], idf: list[tuple[float, bool]], question: str,
                 kind: AnswerType, cosine: float | None) -> bool:
        """A table row answers when it holds ``MIN_COVERAGE`` of the question and says what is asked
        not to be; a sentence when the fitted model of application.keyless.answerable says so (a
        question whose weight the sources mostly lack, ``MIN_PRESENT``, was refused before)."""
        if isinstance(best.unit, Row):
            return best.decided >= MIN_COVERAGE and not (
                NEGATION.search(question) and not NEGATION.search(text_of(best.unit)))
        runner_up = next((s.score for s in scored[1:] if text_of(s.unit) != best.unit.text), None)
        beside = set().union(*(terms for unit, terms, _ in units if isinstance(unit, Sentence) and unit.source is
                               best.unit.source and abs(unit.position - best.unit.position) == 1))
        return evidence(best, runner_up, wanted, idf, beside, question, self._terms, kind, cosine).answers()

    def _second_value(self, row: Row, question: str, at: int, first: str, language: str) -> str:
        """The value the question's second part asks of the same row, when another column holds it."""
        part = question[at:]
        column = choose_column(row.table.header, row.cells, profile(part), part, self._terms, row.label_at)
        if column is None:
            return ""
        answer = table_answer(row, column, row.source.number, language)
        return "" if answer == first else answer

    def _semantic(self, question: str, units: list[Sentence | Row]) -> list[float] | None:
        """The cosines, or None without a model or when it fails (the words alone decide)."""
        if self._similarities is None:
            return None
        try:
            return self._similarities(question, [text_of(u) for u in units])
        except Exception:
            return None

    def notes(self, question: str, sources: tuple[Source, ...], limit: int = 3) -> str | None:
        """Plain cited sentences for a map step (read by the model again)."""
        wanted = concepts(question, self._terms)
        found = []
        for sentence in sentences(sources):
            held = self._terms(sentence.text)
            share = sum(holds(c, held) for c in wanted) / max(1, len(wanted))
            if share > 0 and not is_heading(sentence.text):
                found.append((share, sentence))
        found.sort(key=lambda f: (-f[0], f[1].position))
        return " ".join(f"{s.text.rstrip('.')}. [{s.source.number}]" for _, s in found[:limit]) or None

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
            if asked.wants_number or asked.kind is Kind.DATE:  # the value asked outweighs the question's words
                if AMOUNT.search(clause) or DATE.search(clause):
                    score += 3.0
                elif re.search(r"\d", YEAR.sub(" ", clause)):
                    score += 1.0
            return score
        return worth

    @staticmethod
    def _completion(best: Scored, units: list[tuple[Sentence | Row, set[str], set[str]]],
                    asked: Profile) -> Sentence | None:
        """The sentence right after the best one, in the same source, when the best one announces it
        ("... is computed by the formula:") or lacks the kind of value asked (a number, a date) and
        that one has it."""
        unit = best.unit
        if not isinstance(unit, Sentence):
            return None
        if announces(unit):
            after = next((u for u, _, _ in units if isinstance(u, Sentence) and u.position == unit.position + 1), None)
            return after if after is not None and after.source is unit.source else None
        if not (asked.wants_number or asked.kind is Kind.DATE):
            return None
        kind = AMOUNT if asked.wants_number else DATE
        if kind.search(YEAR.sub(" ", unit.text) if asked.wants_number else unit.text):
            return None
        after = next((u for u, _, _ in units if isinstance(u, Sentence) and u.position == unit.position + 1), None)
        if after is None or after.source is not unit.source:
            return None
        return after if kind.search(YEAR.sub(" ", after.text) if asked.wants_number else after.text) else None


def announces(unit: Sentence | Row) -> bool:
    """A sentence that ends with a colon: what it speaks of follows it ("... by the formula:")."""
    return isinstance(unit, Sentence) and unit.text.rstrip().endswith(":")


def _in_sources_script(wanted: list[Concept], question: str, sources: tuple[Source, ...]) -> list[Concept]:
    """A question asked in another script than the sources' (English about a Russian contract) is
    matched by the concepts the vocabulary gives a variant for in the sources' script; its other
    words could never match, so they do not count as missing."""
    sample = " ".join(s.text for s in sources)[:4000]
    asked, written = _main_script(question), _main_script(sample)
    words = re.findall(r"[^\W\d_]{2,}", sample)
    if asked == written or written == "other" or sum(script_of(w) == asked for w in words) >= 0.1 * len(words):
        return wanted  # the same script, or sources written partly in the question's
    kept = [c for c in wanted if any(all(script_of(t) in (written, "other") for t in v) and any(
        script_of(t) == written for t in v) for v in c)]
    return kept or wanted


def _main_script(text: str) -> str:
    counts = Counter(script_of(w) for w in re.findall(r"[^\W\d_]{2,}", text))
    counts.pop("other", None)
    return counts.most_common(1)[0][0] if counts else "other"
