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
_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")


def normalise(text: str) -> str:
    """NFC, unified line ends, no control characters, joined hyphenation, collapsed spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def count_tokens(text: str) -> int:
    return sum(1 for _ in TOKEN_RE.finditer(text))


def normalise_question(question: str) -> str:
    """The form of a question used in cache keys: case and spacing folded."""
    return " ".join(normalise(question).casefold().split()).rstrip("?!. ")


def terms(text: str) -> list[str]:
    """Case-folded word terms, for lexical matching in any language."""
    return [m.group(0) for m in re.finditer(r"\w+", text.casefold())]
