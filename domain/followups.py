"""Follow-up questions in a thread, resolved without a language model.

A short or anaphoric follow-up ("and the previous quarter?", "how does that compare with a year
earlier?", "а в Риге?") leans on the question before it. Its standalone form keeps the previous
question's words, minus what the follow-up replaces: a name (Riga for Tallinn), an identifier
(KX-19 for KX-22) or the period (a year earlier for fiscal 2023, resolved to 2022 when the
previous question named the year), and adds the follow-up's own words. The result drives
retrieval, the answer cache key and the keyless answerer; a language model also gets the turns."""

from __future__ import annotations

import re
import uuid

import attrs

_CONNECTIVE = re.compile(
    r"^\s*(?:and\s+what\s+about|and\s+how\s+about|what\s+about|how\s+about|and\s+for|and\s+in|and|also|then|"
    r"а\s+что\s+насч[её]т|как\s+насч[её]т|что\s+насч[её]т|а\s+что|а\s+как|а|и)\b[\s,]*", re.I)
_ANAPHORA = frozenset("that this it its those these they them same there then former latter "
                      "это этот эта эти того тот та те там него неё нее них он она оно они ней нём нем ему ей им их "
                      "его её ее".split())
_WORD = re.compile(r"[\w][\w.\-/%$€₽&]*", re.U)
_PREPOSITIONS = frozenset("of for on in at by from to об о по на в во у для от из".split())
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_MONTHS = frozenset("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec "
                    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split())
_PERIOD_WORDS = frozenset("quarter quarters quarterly year years annual fiscal month months ended ending "
                          "three six nine twelve q1 q2 q3 q4 h1 h2 ytd квартал квартале квартала год году года "
                          "месяцев месяца date".split()) | _MONTHS
_DAY = re.compile(r"^\d{1,2}$")
_YEAR_BEFORE = re.compile(r"\b(?:a\s+year\s+(?:earlier|before|ago)|(?:the\s+)?(?:previous|prior|last)\s+(?:fiscal\s+)?"
                          r"year|year\s+before|годом\s+ранее|в\s+прошлом\s+году|годом\s+раньше|"
                          r"(?:в\s+)?предыдущем\s+году)\b", re.I)
_RELATIVE = re.compile(r"\b(?:previous|prior|preceding|last|earlier|before|next|following|"
                       r"предыдущ\w*|прошл\w*|ранее|раньше|следующ\w*)\b", re.I)
_FUNCTION = frozenset(
    "what which who whom whose how many much is are was were be been the a an of in on at for to by with about "
    "and or but does do did has have had will would can could should compare compared comparison versus vs "
    "change changed difference differ same also too please tell me show give there here our your their "
    "какой какая какое какие какова каков каково сколько что где когда кто в во на по с со о об и а но ли "
    "же ещё еще тоже также был была было были есть как сравнить сравнению изменилось изменился".split())
MAX_FOLLOWUP_WORDS = 7


@attrs.frozen(kw_only=True)
class ThreadContext:
    """A question asked in a thread: its standalone form and the turns a language model reads."""

    thread_id: uuid.UUID
    standalone: str
    history: tuple[tuple[str, str], ...] = ()  # (question, answer) of earlier turns, oldest first


def is_followup(question: str) -> bool:
    words = _words(question)
    lowered = {w.lower() for w in words}
    return (len(words) <= MAX_FOLLOWUP_WORDS or bool(_CONNECTIVE.match(question)) or bool(lowered & _ANAPHORA)
            or bool(_RELATIVE.search(question)))


def standalone(question: str, previous: str | None) -> str:
    """``question`` as it reads on its own after ``previous`` (itself already standalone)."""
    if not previous or not is_followup(question):
        return question
    rest = _CONNECTIVE.sub("", question.strip()).strip(" ?!.")
    new = _words(rest)
    new_lower = {w.lower() for w in new}
    replaces_name = any(_is_name(w, i) for i, w in enumerate(new))
    replaces_code = any(_is_code(w) for w in new)
    year_before = bool(_YEAR_BEFORE.search(rest))  # "a year earlier": the same period, a year back
    replaces_period = not year_before and (any(_is_period_word(w) for w in new) or bool(_RELATIVE.search(rest)))
    # a follow-up with a subject of its own ("and the penalty?") keeps only the previous question's
    # names, codes and period; one pointing back ("that", "it") or without one keeps its subject too;
    # one opening with a preposition ("and of the hard hat?") replaces what followed it before
    preposition = new[0].lower() if new and new[0].lower() in _PREPOSITIONS else None
    own_subject = (preposition is None and any(_is_content(w, i) for i, w in enumerate(new))
                   and not new_lower & _ANAPHORA)
    previous_words = _words(previous)
    dropped = _after_preposition(previous_words, preposition) if preposition else set()
    kept: list[str] = []
    for index, word in enumerate(previous_words):
        lowered = word.lower()
        if index in dropped:
            continue
        if _is_period_word(word):
            if replaces_period:
                continue
            if year_before and _DAY.match(word):  # the day of a quarter's end moves from year to year
                continue
            if year_before and _YEAR.match(word):
                word = str(int(word) - 1)
        elif (replaces_code and _is_code(word)) or (replaces_name and _is_name(word, index)):
            continue
        elif lowered in new_lower or (own_subject and _is_content(word, index)):
            continue
        kept.append(word)
    return " ".join([rest, *kept]).strip() + "?"


def _after_preposition(words: list[str], preposition: str) -> set[int]:
    """The positions after the previous question's last ``preposition`` up to a period word: what
    a follow-up opening with the same preposition replaces ("unit price of [the steel toe boots]")."""
    starts = [i for i, w in enumerate(words) if w.lower() == preposition]
    if not starts:
        return set()
    dropped = set()
    for index in range(starts[-1] + 1, len(words)):
        if _is_period_word(words[index]):
            break
        dropped.add(index)
    return dropped


def _words(text: str) -> list[str]:
    return [w.strip(".-/") for w in _WORD.findall(text) if w.strip(".-/")]


def _is_name(word: str, index: int) -> bool:
    """A proper name: capitalised (Riga, Риге, Japan; at the start too unless a function word), or
    in mixed case (iPhone, iPad). Not an all-caps acronym (VAT, НДС, EPS: what is asked about) nor
    an identifier (KX-22)."""
    if _is_code(word) or word.isupper() or _is_period_word(word):  # April is a period, not a name
        return False
    if any(c.isupper() for c in word[1:]) and any(c.islower() for c in word):
        return True
    return word[:1].isupper() and (index > 0 or word.lower() not in _FUNCTION | _ANAPHORA)


def _is_code(word: str) -> bool:
    """An identifier such as KX-22 or A17: letters with digits (not a year, not Q3 or FY24)."""
    has_digit = any(c.isdigit() for c in word)
    has_alpha = any(c.isalpha() for c in word)
    return has_digit and has_alpha and not _YEAR.match(word) and not _is_period_word(word) \
        and not re.fullmatch(r"(?i)fy\d{2,4}|q[1-4]|h[12]", word)


def _is_content(word: str, index: int) -> bool:
    """A word that names what is asked about (not a function word, a name, a code or a period)."""
    lowered = word.lower()
    return (lowered not in _FUNCTION and lowered not in _ANAPHORA and not _is_period_word(word)
            and not _RELATIVE.fullmatch(word) and not _is_name(word, index) and not _is_code(word)
            and lowered not in _PREPOSITIONS and len(word) > 1)


def _is_period_word(word: str) -> bool:
    lowered = word.lower()
    return lowered in _PERIOD_WORDS or bool(_YEAR.match(word)) or (word.isdigit() and len(word) <= 2)
