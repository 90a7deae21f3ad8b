"""Which language a text is in, from its script and its commonest words: pure and cheap.

Cyrillic text is Russian (Ukrainian when its own letters і ї є ґ show); Latin-script text is
the language among ``LATIN`` whose function words it uses most (English when none stands out);
any other script, or too little text, is ``UNDETERMINED`` (terms are then matched unstemmed)."""

from __future__ import annotations

import re
from collections import Counter

UNDETERMINED = "und"
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_SAMPLE = 20_000  # characters read: enough to tell, cheap on a long document
LATIN: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in is that for with as was on are by this be it from at or an which have".split()),
    "de": frozenset("der die und das ist nicht mit von den dem des ein eine auf für sich auch wird werden".split()),
    "fr": frozenset("le la les et des est une pour dans que qui sur pas par sont avec du au aux ce".split()),
    "es": frozenset("el la los las y de que en es por para con una del se al como más pero sus".split()),
    "it": frozenset("il la le di che è per una non sono con del della gli nel alla anche come".split()),
    "pt": frozenset("o a os as e de que em é um uma para com não do da dos das por se".split()),
    "nl": frozenset("de het een en van is dat op te zijn met voor niet aan er ook als bij".split()),
}
_FUNCTION_WORDS = frozenset().union(*LATIN.values())  # only these are counted: any length, one set lookup a word


def script_of(word: str) -> str:
    """"cyrillic", "latin" or "other", by the word's first letter."""
    for ch in word:
        if ch.isalpha():
            if _CYRILLIC.match(ch):
                return "cyrillic"
            return "latin" if _LATIN.match(ch) else "other"
    return "other"


def detect_language(text: str) -> str:
    """An ISO 639-1 code (``en``, ``ru``, ``de`` ...) or ``UNDETERMINED``."""
    sample = text[:_SAMPLE]
    words = _WORD.findall(sample.casefold())
    if not words:
        return UNDETERMINED
    scripts = Counter(script_of(w) for w in words)
    script, count = scripts.most_common(1)[0]
    if script == "cyrillic":
        return "uk" if len(_UKRAINIAN.findall(sample)) > 0.01 * count else "ru"
    if script != "latin":
        return UNDETERMINED
    counts = Counter(w for w in words if w in _FUNCTION_WORDS)
    scores = {code: sum(counts[w] for w in common) for code, common in LATIN.items()}
    best = max(scores, key=lambda code: (scores[code], code == "en"))
    return best if scores[best] > 0 else "en"


def reply_language(question: str, default: str = "en") -> str:
    """"ru" or "en": the language a reply to ``question`` is written in (the shells speak those
    two); ``default`` when the question is too short or in another script to tell."""
    language = detect_language(question)
    if language in ("ru", "uk"):
        return "ru"
    return "en" if language != UNDETERMINED else default
