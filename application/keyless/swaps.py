"""A word of the question swapped in the sentence that best answers it: SQuAD 2.0 writes many of
its unanswerable questions against a sentence that otherwise matches them word for word, with
- an antonym: "Which city has the smallest port?" against "... has the largest port";
- another number: "Who issued the Proclamation of 1736?" against "... of 1763" (a number of the
  question, dates and periods left out on both sides, that the sentence lacks while it holds
  another of as many characters; not for a how-much / how-many question, whose answer is another
  number: "How much of the $90 billion authorization was used?" against "... $4.1 billion");
- another ordinal: "the second minister" against "the First Minister";
- a negating prefix: "non-shared", "uncompromising", "disallowed" against the bare word.
application.keyless.answerable treats such a sentence as not answering (not a fitted feature).

The antonyms are common English opposites, written once as words and stemmed by the caller's
analyzer; a pair counts only when the sentence lacks the question's word and the question lacks
the sentence's. English phrasing (a Russian question gets the number rule only). Measured on
SQuAD 2.0 (docs/answers.md)."""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.questions import content, profile

Terms = Callable[[str], set[str]]

_PAIRS = (
    "increase decrease|increase reduce|increase drop|rise fall|rise decline|more less|more fewer|larger smaller|"
    "largest smallest|bigger smaller|biggest smallest|higher lower|highest lowest|first last|earliest latest|"
    "early late|before after|win lose|won lost|victory defeat|north south|east west|northern southern|"
    "eastern western|maximum minimum|most least|major minor|strong weak|strongest weakest|success failure|"
    "succeed fail|accept reject|allow prohibit|allow forbid|permit ban|legal illegal|public private|"
    "oldest newest|ancient modern|long short|longest shortest|begin end|start end|start finish|buy sell|"
    "bought sold|import export|positive negative|internal external|inner outer|upper lower|top bottom|"
    "above below|inside outside|include exclude|gain loss|profit loss|rich poor|wealthy poor|hot cold|"
    "warm cool|fast slow|high low|deep shallow|wide narrow|young old|male female|man woman|men women|"
    "king queen|father mother|son daughter|brother sister|birth death|born died|create destroy|"
    "built destroyed|attack defend|enter leave|arrive depart|add remove|join leave|push pull|same different|"
    "common rare|natural artificial|agree disagree|support oppose|true false|always never|everyone nobody|"
    "all none|many few|best worst|better worse|hard soft|full empty|cheap expensive|upstream downstream|"
    "rural urban|primary secondary|direct indirect|past future|official unofficial"
)


def _stemmed(terms: Terms) -> list[tuple[frozenset[str], frozenset[str]]]:
    pairs = []
    for pair in _PAIRS.split("|"):
        first, second = (frozenset(terms(word)) for word in pair.split())
        if first and second and not first & second:
            pairs += [(first, second), (second, first)]
    return pairs


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\b",
                      re.IGNORECASE)
_PREFIXED = re.compile(r"\b(un|non-?|dis)([^\W\d_]{4,})\b", re.IGNORECASE)


def swapped(question: str, sentence: str, terms: Terms) -> bool:
    """``sentence`` holds, in place of a word of ``question``, its antonym, another number or
    ordinal, or the word without the question's negating prefix."""
    asked, said = frozenset(terms(question)), frozenset(terms(sentence))
    numbers = not profile(question).wants_number and _other(_NUMBER, content(question), content(sentence),
                                                            same_length=True)
    return (_antonym(asked, said, terms) or numbers or _other(_ORDINAL, content(question), sentence)
            or _unprefixed(question, said, terms))


def _antonym(question: frozenset[str], sentence: frozenset[str], terms: Terms) -> bool:
    return any(asked <= question and not asked <= sentence and said <= sentence and not said <= question
               for asked, said in _stemmed(terms))


def _other(pattern: re.Pattern[str], question: str, sentence: str, same_length: bool = False) -> bool:
    """A value of ``pattern`` in the question is not in the sentence, which holds another (of as
    many characters, for numbers)."""
    asked = {m.group(0).casefold() for m in pattern.finditer(question)}
    said = {m.group(0).casefold() for m in pattern.finditer(sentence)}
    lacking, other = asked - said, said - asked
    return bool(lacking and other) and (not same_length or any(len(a) == len(b) for a in lacking for b in other))


def _unprefixed(question: str, sentence: frozenset[str], terms: Terms) -> bool:
    for prefix, rest in _PREFIXED.findall(question):
        whole, bare = frozenset(terms(prefix + rest)), frozenset(terms(rest))
        if whole and bare and not whole <= sentence and bare <= sentence:
            return True
    return False
