"""Whether a sentence holds the kind of thing the question's wh-word asks for, and the question's
own numbers: features the keyless scorer adds to a sentence's score (application.keyless.scoring).

- who / whom / whose, where: a capitalised word that is not the sentence's first and is not one of
  the question's words (a name the question does not already give);
- when / what year: a year, a century or a decade;
- a question that names numbers besides its period ("Regiment No. 13", not "fiscal 2024", which
  the table columns answer): the share of them the sentence repeats.
How many / how much are left to the scorer's number rules (a bonus here for any number in a
sentence outweighed the table rows that answer such questions on the filings).

English wh-words only: Russian questions keep the scorer's own kind rules (a deadline, a party).
Weights fitted on SQuAD 2.0's even articles (a conditional logit over each question's sentences,
the shipped score as offset, with scoring.with_neighbours' weights) and measured on its odd ones,
by a one-off script that is not in the repository; see docs/answers.md."""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.questions import content

NAME_BONUS = 0.10  # who: a new capitalised word
PLACE_BONUS = 0.07  # where: a new capitalised word
YEAR_BONUS = 0.21  # when: a year, century or decade
NUMBERS_BONUS = 0.12  # times the share of the question's numbers the sentence holds

_WH = re.compile(r"\b(who|whom|whose|when|where|what year|which year)\b", re.IGNORECASE)
_KIND = {"who": "name", "whom": "name", "whose": "name", "where": "place", "when": "year", "what year": "year",
         "which year": "year"}
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZА-ЯЁ][^\W\d_]+(?:['’-][^\W\d_]+)*")
_YEARISH = re.compile(r"\b(1\d\d\d|20\d\d|\d{1,2}(st|nd|rd|th)?[- ]century|\d0s|\d{1,4} (BC|AD|BCE|CE))\b", re.IGNORECASE)
_WHEN = re.compile(r"\b\d+\s*(\([^)]{1,30}\)\s*)?([^\W\d]+\s+)?([Dd]ays?|[Ww]eeks?|[Mm]onths?|[Yy]ears?|[Hh]ours?)\b|\b(January|"
                   r"February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|"
                   r"Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")  # "May", not "may"
_DIGITS = re.compile(r"\d+")

Terms = Callable[[str], set[str]]


class AnswerType:
    """What a question's wh-word asks for, read once per question; ``bonus`` scores a sentence."""

    def __init__(self, question: str, terms: Terms) -> None:
        found = _WH.search(question)
        word = found.group(1).casefold() if found else ""
        self._kind = _KIND.get(word, "")
        self._terms = terms
        self._asked = terms(question)
        self._numbers = set(_DIGITS.findall(content(question)))  # not the period's

    def bonus(self, text: str) -> float:
        score = 0.0
        if self._kind in ("name", "place") and self._new_name(text):
            score += NAME_BONUS if self._kind == "name" else PLACE_BONUS
        elif self._kind == "year" and _YEARISH.search(text):
            score += YEAR_BONUS
        if self._numbers:
            score += NUMBERS_BONUS * len(self._numbers & set(_DIGITS.findall(text))) / len(self._numbers)
        return score

    @property
    def kind(self) -> str:
        """"name", "place", "year", or "" when the question does not say."""
        return self._kind

    def holds(self, text: str) -> bool:
        """The sentence holds the kind of thing asked for (True when the question does not say)."""
        if self._kind in ("name", "place"):
            return self._new_name(text)
        if self._kind == "year":  # a year, or a date or duration ("within 30 days", "on 21 March")
            return bool(_YEARISH.search(text) or _WHEN.search(text))
        return True

    def _new_name(self, text: str) -> bool:
        return any(not (self._terms(word) <= self._asked) for word in _CAPITALISED.findall(text))
