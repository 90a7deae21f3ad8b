"""Text normalisation and token estimation: pure functions."""

from __future__ import annotations

import re
import unicodedata

# A token: a run of at most 12 word characters, or one other non-space character. This tracks
# LLM tokenizers (about 4 characters a token in English) closely enough for budgeting.
TOKEN_RE = re.compile(r"\w{1,12}|[^\w\s]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_WORD_END = re.compile(r"[\w-]*$")
_HYPHEN_BREAK = re.compile(r"(?<=\w)-\n(?=(\w+)(-\w)?)")


def _joined(match: re.Match[str]) -> str:
    """A word hyphenated at a line end is joined ("infor-\nmation"); a compound broken at one of its
    hyphens keeps it: a part holding a hyphen of its own ("Year-\nover-year", "state-of-the-\nart")
    or going on with a capital ("non-\nGAAP")."""
    word_before = _WORD_END.search(match.string, max(0, match.start() - 80), match.start())
    if match.group(2) or match.group(1)[0].isupper() or (word_before and "-" in word_before.group(0)):
        return "-"
    return ""


def normalise(text: str) -> str:
    r"""NFC, unified line ends, no control characters, joined hyphenation, collapsed spaces.

    Idempotent: control characters go before NFC (removing one can bring a letter and its
    accent together), hyphenation is joined after lines are stripped ("infor- \n mation") with
    look-arounds (so "a-\nb-\nc" joins both breaks; a compound broken at one of its hyphens keeps
    it), and NFC runs again after joining (Hangul
    jamo split across a line compose)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = unicodedata.normalize("NFC", _HYPHEN_BREAK.sub(_joined, text))
    return _BLANK_LINES.sub("\n\n", text).strip()


def count_tokens(text: str) -> int:
    return sum(1 for _ in TOKEN_RE.finditer(text))


def normalise_question(question: str) -> str:
    """The form of a question used in cache keys: case and spacing folded. NFC again after case
    folding, which can decompose ("ß" + a combining accent folds to "ss" + the accent, which NFC
    then composes into "ś"), so the form is stable."""
    folded = unicodedata.normalize("NFC", normalise(question).casefold())
    return " ".join(folded.split()).rstrip("?!. ")


def terms(text: str) -> list[str]:
    """Case-folded word terms, for lexical matching in any language."""
    return [m.group(0) for m in re.finditer(r"\w+", text.casefold())]
