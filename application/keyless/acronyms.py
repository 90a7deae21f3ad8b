"""A question that asks what an abbreviation means ("What does EBITDA stand for?", "Что означает
сокращение КСОБ?", "Как расшифровывается НМЦК?") prefers the unit that spells it out: a run of
words whose initials are the abbreviation's letters ("Комплексные системы обеспечения
безопасности", "selling, general and administrative"), short linking words skipped. Such a unit
gains ``EXPANSION_BONUS`` (set by hand, not fitted), added by application.keyless.answerer after
scoring to its rank and to the score the decision to answer is taken on; a sentence that merely
uses the abbreviation gains nothing. English and Russian phrasing; other questions are
left as they are."""

from __future__ import annotations

import re

import attrs

from application.keyless.scoring import Scored, text_of

EXPANSION_BONUS = 0.5
_ABBREVIATION = r"([A-ZА-ЯЁ][A-ZА-ЯЁ&\d]{1,9})"
_ASKED = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    rf"\bwhat (?:does|do|did) (?:the )?(?:abbreviation |acronym |term )?[\"“«]?{_ABBREVIATION}[\"”»]? (?:stand for|mean)\b",
    rf"\bwhat is (?:meant by |the meaning of |the full form of )(?:the )?(?:abbreviation |acronym )?[\"“«]?{_ABBREVIATION}\b",
    rf"\bwhat is [\"“«]?{_ABBREVIATION}[\"”»]? short for\b",
    rf"\bчто (?:означает|обозначает|значит) (?:сокращение |аббревиатура |термин )?[\"“«]?{_ABBREVIATION}\b",
    rf"\bрасшифр\w* (?:сокращени\w+ |аббревиатур\w+ )?[\"“«]?{_ABBREVIATION}\b",
    rf"\b{_ABBREVIATION}[\"”»]? расшифровывается\b",
    rf"\bчто такое [\"“«]?{_ABBREVIATION}[\"”»]?\s*\??$",
))
_LINKING = {"and", "of", "the", "for", "in", "on", "to", "a", "an", "и", "в", "во", "на", "по", "для", "с", "со", "о",
            "об", "к", "за", "из", "от"}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|&")


def asked_abbreviation(question: str) -> str | None:
    """The abbreviation the question asks the meaning of, or None. It must be written in capitals
    (an abbreviation, not an ordinary word the pattern happens to catch)."""
    for found in (m for pattern in _ASKED for m in pattern.finditer(question)):
        word = found.group(1)
        letters = [c for c in word if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            return word
    return None


def expands(abbreviation: str, text: str) -> bool:
    """``text`` holds a run of words whose initials spell ``abbreviation``'s letters in order,
    linking words ("and", "и", "&") skipped between them."""
    letters = [c.casefold() for c in abbreviation if c.isalpha()]
    words = [w.casefold() for w in _WORD.findall(text)]
    for start, first in enumerate(words):
        if first[0] != letters[0] or first == abbreviation.casefold():
            continue
        spelled = 0
        for word in words[start:]:
            if spelled < len(letters) and word[0] == letters[spelled]:
                spelled += 1
            elif word not in _LINKING:
                break
            if spelled == len(letters):
                return True
    return False


def with_expansions(scored: list[Scored], question: str) -> list[Scored]:
    """``scored`` with ``EXPANSION_BONUS`` added to each unit that spells out the abbreviation the
    question asks about (both its ranking score and the score the decision to answer is taken on);
    unchanged for any other question."""
    abbreviation = asked_abbreviation(question)
    if abbreviation is None:
        return scored
    return [attrs.evolve(s, score=s.score + EXPANSION_BONUS, decided=s.decided + EXPANSION_BONUS)
            if expands(abbreviation, text_of(s.unit)) else s for s in scored]
