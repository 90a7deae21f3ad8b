"""Whether the best sentence answers the question at all: a logistic model over what the question
asks and what that sentence holds, instead of one threshold on one lexical score.

SQuAD 2.0's unanswerable questions are written against a passage that nearly answers them: they
change an entity or a number, negate, or ask about something the passage does not say. So the
evidence is several features of the best sentence (application.keyless.answerer picks it):
- ``margin``: how far it scores above the next different unit (a clear winner, or one of many);
- ``missing``: the share of the question's weight (inverse frequency) the sentence does not hold;
- ``missing_name`` / ``missing_number``: a capitalised word or a number of the question that is
  neither in the sentence nor in the sentences beside it;
- ``cosine``: the embeddings' cosine of question and sentence (its mean over the fit, without a model);
- ``negated``: the question is negated; ``lacks_type``: a who / when / where question whose
  sentence holds no new name, year or place (application.keyless.answer_type);
- ``swapped``: the sentence holds, in place of a word of the question, its antonym, another
  number or ordinal, or the word without its negating prefix (application.keyless.swaps): not
  fitted, such a sentence never answers.

Coefficients fitted on SQuAD 2.0's even articles (label: the sentence holds the gold answer) by
logistic regression, the threshold chosen there; measured on the odd articles
(docs/answers.md gives the figures and the trade-off at other thresholds)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import attrs

from application.concepts import Concept, holds
from application.keyless.answer_type import AnswerType
from application.keyless.swaps import swapped
from application.keyless.scoring import Scored

Terms = Callable[[str], set[str]]
NEGATION = re.compile(r"\b(not|never|no|none|neither|nor|cannot|n't|without|не|нет|никогда|ни|без)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")

THRESHOLD = 0.14  # with the swap rule, the highest telling <= 7% of the even articles' answerable "not found"
MEAN_COSINE = 0.51
_BIAS = -1.168
_COEFFICIENTS = {"margin": 1.016, "missing": -1.636, "missing_name": -0.231, "missing_number": -0.954,
                 "cosine": 1.782, "negated": -2.367, "lacks_type": -0.848}


@attrs.frozen(kw_only=True)
class Evidence:
    margin: float
    missing: float
    missing_name: bool
    missing_number: bool
    cosine: float | None  # None: no embedding model
    negated: bool
    lacks_type: bool
    swapped: bool = False  # not a fitted feature: a swapped word refuses whatever the probability

    def probability(self) -> float:
        """The fitted probability that the sentence holds the answer."""
        values = attrs.asdict(self)
        if values["cosine"] is None:
            values["cosine"] = MEAN_COSINE
        z = _BIAS + sum(weight * float(values[name]) for name, weight in _COEFFICIENTS.items())
        return 1.0 / (1.0 + math.exp(-z))

    def answers(self) -> bool:
        return not self.swapped and self.probability() >= THRESHOLD


def evidence(best: Scored, runner_up: float | None, wanted: list[Concept], idf: list[tuple[float, bool]],
             beside: set[str], question: str, terms: Terms, kind: AnswerType, cosine: float | None) -> Evidence:
    """The evidence for ``best`` (a sentence): ``runner_up`` the score of the next different unit,
    ``idf`` each concept's weight, ``beside`` the terms of the sentences next to it in the same source.
    (Its lexical score and the share of the question the sources hold were tried as features and
    added nothing beside these.)"""
    total = sum(weight for weight, _ in idf) or 1.0
    held = best.terms
    around = terms(best.unit.text) | beside
    names, numbers = _kinds(question, wanted, terms)
    return Evidence(
        margin=best.score - runner_up if runner_up is not None else 1.0,
        missing=sum(weight for i, (weight, _) in enumerate(idf) if i not in held) / total,
        missing_name=any(names[i] and not holds(c, around) for i, c in enumerate(wanted)),
        missing_number=any(numbers[i] and not holds(c, around) for i, c in enumerate(wanted)),
        cosine=cosine, negated=bool(NEGATION.search(question)), lacks_type=not kind.holds(best.unit.text) if kind.kind else False,
        swapped=swapped(question, best.unit.text, terms))


def _kinds(question: str, wanted: list[Concept], terms: Terms) -> tuple[list[bool], list[bool]]:
    """For each concept: the question writes it capitalised, not as its first word (a name), and
    its own terms hold a digit (a number)."""
    words = _WORD.findall(question)
    names, numbers = [], []
    for concept in wanted:
        written = [i for i, w in enumerate(words) if terms(w) & concept[0]]
        names.append(bool(written) and written[0] > 0 and words[written[0]][:1].isupper())
        numbers.append(any(ch.isdigit() for term in concept[0] for ch in term))
    return names, numbers
