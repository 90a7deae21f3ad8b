"""Answers as Telegram HTML: the text escaped, citation marks in bold, a sources block, and the
whole split into messages of at most 4096 characters without ever cutting a tag or an entity."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from domain.conversations import Conversation

MESSAGE_LIMIT = 4096
_TOKEN = re.compile(r"\S+\s*|\s+")
_MARK = re.compile(r"\[(\d+)\]")
_RAW_PIECE = 800  # an escaped character takes at most 6: 800 raw characters always fit in a message
QUOTE_PREVIEW = 120


def answer_units(text: str) -> list[str]:
    """Escaped, formatted pieces whose concatenation is the formatted text (one per word)."""
    units = []
    for token in _TOKEN.findall(text):
        for start in range(0, len(token), _RAW_PIECE):
            piece = html.escape(token[start:start + _RAW_PIECE], quote=False)
            units.append(_MARK.sub(r"<b>[\1]</b>", piece))
    return units


def source_units(conversation: Conversation, heading: str, language: str = "en") -> list[str]:
    if not conversation.citations:
        return []
    units = [f"\n\n{heading}\n"]
    for citation in conversation.citations:
        quote = " ".join(citation.quote.split())
        if len(quote) > QUOTE_PREVIEW:
            quote = quote[:QUOTE_PREVIEW].rstrip() + "…"
        line = f"[{citation.number}] {html.escape(citation.label_in(language), quote=False)}"
        if quote:
            line += f": <i>“{html.escape(quote, quote=False)}”</i>"
        units.append(line + "\n")
    return units


def pack(units: Iterable[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Greedy packing of safe units into messages of at most ``limit`` characters."""
    messages: list[str] = []
    current = ""
    for unit in units:
        if current and len(current) + len(unit) > limit:
            messages.append(current)
            current = unit.lstrip()
        else:
            current += unit
    if current.strip():
        messages.append(current)
    return [m.strip() for m in messages if m.strip()] or [""]


def render_answer(conversation: Conversation, heading: str, limit: int = MESSAGE_LIMIT, *,
                  language: str = "en") -> list[str]:
    """The answer, then ``heading`` and the sources, their places labelled in ``language``."""
    return pack([*answer_units(conversation.answer), *source_units(conversation, heading, language)], limit)


def preview(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """The plain text of a partial answer, shortened to fit one message."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


PASSAGE_BUDGET = 3800  # escaped characters of one piece: the label line and the quote tags fit in 4096


def split_passage(text: str, budget: int = PASSAGE_BUDGET) -> list[str]:
    """Plain text in pieces whose HTML-escaped form fits ``budget``, cut at a line break, else at a
    space, else anywhere (a single 5,000-character token still goes out whole, over messages)."""
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        if len(html.escape(rest)) <= budget:
            pieces.append(rest)
            break
        cut = _fitting_prefix(rest, budget)
        for separator in ("\n\n", "\n", " "):
            at = rest.rfind(separator, 0, cut)
            if at > cut // 2:
                cut = at
                break
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return pieces or [""]


def _fitting_prefix(text: str, budget: int) -> int:
    """The longest prefix length whose escaped form fits ``budget``."""
    size = 0
    for index, char in enumerate(text):
        size += len(html.escape(char))
        if size > budget:
            return max(1, index)
    return len(text)
