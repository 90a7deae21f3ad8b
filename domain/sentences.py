"""Sentences out of extracted text: pure.

A text's lines are joined into paragraphs first (PDF text and Word paragraphs with manual breaks
wrap lines mid-sentence): a line ends a paragraph when it ends a sentence (not an abbreviation),
or is short and followed by a capital, or the next line starts a list item; a blank line always
ends one; "name: value; name: value" record lines (a CSV's rows) are left out (read as rows).
Paragraphs are then cut after . ! ? … and any closing quotes unless the dot ends a common
abbreviation, an initial, a list item's opening number ("1.") or a number's decimals; a run-on
"sentence" over ``MAX_SENTENCE`` characters is cut at a clause."""

from __future__ import annotations

import re
from collections.abc import Iterator

_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"'”»)]*)\s+(?=[\"'“«(]*[A-ZА-ЯЁ0-9])")  # group 1: closing quotes
_ABBREVIATION = re.compile(
    r"(?:\b(?:inc|corp|co|ltd|llc|no|nos|vs|etc|e\.g|i\.e|approx|mr|mrs|ms|dr|st|jan|feb|mar|apr|jun|jul|aug|sep|sept|"
    r"oct|nov|dec|fig|sec|art|u\.s|u\.k|т\.е|т\.д|т\.п|г|гг|руб|коп|ст|п|пп|им|др|тыс|млн|млрд|ул|д|лит|кв|корп|стр|обл|"
    r"тел|ч|см|шт|ед|изм|пр|пер)\.|\b[A-ZА-Я]\.)$",
    re.IGNORECASE)
_LIST_NUMBER = re.compile(r"\(?\d{1,2}\.")  # "1." opening a list item, not a sentence of its own
LIST_START = re.compile(r"^\s*(?:[-–—•▪●*]\s*(?=\w)|\(?\d{1,2}[.)]\s+|\(?[a-zа-я][.)]\s+)")
_LINE_END = re.compile(r"[.!?…:;]\s*$")
_SHORT_LINE = 60
RECORD_LINE = re.compile(r"^[^\n:;|]{1,60}: [^\n;]*(?:; [^\n:;|]{1,60}: [^\n;]*)+$", re.MULTILINE)
MAX_SENTENCE = 1500
_ABBREVIATION_TAIL = 12  # longer than any abbreviation above with its dot, a word boundary and a final "\n"


def _ends_abbreviated(text: str) -> bool:
    """``_ABBREVIATION.search(text)``, read over the text's last characters only (the pattern is
    anchored at the end; the word boundary before it still sees the character before them): a
    search over a whole paragraph's head at each candidate sentence end made re-ranking's
    sentence split quadratic in a paragraph's length."""
    return _ABBREVIATION.search(text, max(0, len(text) - _ABBREVIATION_TAIL)) is not None


def paragraphs(text: str) -> Iterator[str]:
    """Lines joined into paragraphs (a blank line always ends one; record lines are read as rows)."""
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip() and not RECORD_LINE.fullmatch(line.strip())]
        current: list[str] = []
        for i, line in enumerate(lines):
            if current and LIST_START.match(line):
                yield " ".join(current)
                current = []
            current.append(line)
            following = lines[i + 1] if i + 1 < len(lines) else ""
            ends = (bool(_LINE_END.search(line)) and not _ends_abbreviated(line)) or (
                len(line) < _SHORT_LINE and following[:1].isupper() and not line.endswith((",", "-", "–")))
            if ends and (not following or following[:1].isupper() or following[:1].isdigit()
                         or LIST_START.match(following)):
                yield " ".join(current)
                current = []
        if current:
            yield " ".join(current)


def split_sentences(paragraph: str) -> list[str]:
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        head = paragraph[start:match.start()]
        if (_ends_abbreviated(head) or _LIST_NUMBER.fullmatch(head.strip())
                or re.search(r"\d\.$", head.rstrip()) and re.match(r"\d", paragraph[match.end():])):
            continue
        pieces.append(paragraph[start:match.end(1)].strip())  # the sentence keeps its closing quotes
        start = match.end()
    pieces.append(paragraph[start:].strip())
    out = []
    for piece in pieces:
        while len(piece) > MAX_SENTENCE:  # a run-on "sentence" (a list, a form) cut at a clause
            cut = max(piece.rfind("; ", 0, MAX_SENTENCE), piece.rfind(", ", 0, MAX_SENTENCE))
            cut = cut if cut > MAX_SENTENCE // 3 else MAX_SENTENCE
            out.append(piece[:cut + 1].strip())
            piece = piece[cut + 1:].strip()
        if piece:
            out.append(piece)
    return out
