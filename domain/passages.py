"""Finding a citation's quote in the text it was taken from, as offsets into that text.

The quote and the original rarely agree character for character: the chunk's text was normalised
(spaces collapsed, hyphenation joined, NFC), a PDF's text has line wraps and pdfium's hyphen marks,
a table row was rewritten as Markdown ("| Gaming | $2,856 |"), and a quote is cut at 300
characters and may join several parts with " … ". So both sides are *folded*: NFKC, case-folded,
every character that is not a letter or a digit dropped; "reve-\\nnue", "Reve nue" and "revenue"
fold alike. Each piece of the quote (split at " … ", a Markdown table line by line) is looked up
in the folded text, in order. A piece not found whole (a table row read in another order, a word
the extractor changed) falls back to its words: the run of the text's words that matches most of
the piece's words in order (difflib; runs at most ``_MAX_GAP`` words apart are one passage, the
words between included), kept when it holds at least half of them."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

Span = tuple[int, int]  # [start, end) offsets into the original text

_PART_BREAK = re.compile(r"\s*…\s*")
_WORD = re.compile(r"\w+")
_MIN_FOLDED = 2  # characters: a shorter piece ("|", "$") says nothing about where it stands
_MIN_SHARE = 0.5  # of a piece's words that the word fallback must find
_MAX_GAP = 3  # words skipped between two matching runs of one passage


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` NFKC-normalised, case-folded, letters and digits only, with the offset in ``text``
    of each folded character (a ligature "ﬁ" gives two characters at one offset)."""
    folded: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():  # the common case, without unicodedata
            if char.isalnum():
                folded.append(char.lower())
                offsets.append(index)
            continue
        for piece in unicodedata.normalize("NFKC", char).casefold():
            if piece.isalnum():
                folded.append(piece)
                offsets.append(index)
    return "".join(folded), offsets


def quote_pieces(quote: str) -> list[str]:
    """The parts of a quote that stand together in the original: split at " … " (parts joined by
    the citation), and a Markdown table's lines one by one (a row, then its header line); a line
    wrap in prose is just a space."""
    pieces: list[str] = []
    for part in _PART_BREAK.split(quote):
        lines = part.split("\n")
        pieces += lines if any(line.lstrip().startswith("|") for line in lines) else [part]
    return [piece for piece in pieces if len(fold(piece)[0]) >= _MIN_FOLDED]


def find_quote(text: str, quote: str) -> list[Span]:
    """Where the pieces of ``quote`` stand in ``text``: one span per piece found, in text order,
    overlapping spans merged; [] when none is found."""
    folded, offsets = fold(text)
    spans: list[Span] = []
    after = 0
    for piece in quote_pieces(quote):
        found = _exact(folded, offsets, fold(piece)[0], after) or _by_words(text, piece)
        if found:
            spans.extend(found)
            after = _folded_index(offsets, found[-1][1])
    return merge(spans)


def merge(spans: list[Span]) -> list[Span]:
    """Sorted, with overlapping or touching spans joined."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _exact(folded: str, offsets: list[int], piece: str, after: int) -> list[Span]:
    """The piece's first occurrence at or after folded index ``after`` (else anywhere)."""
    at = folded.find(piece, after)
    if at < 0:
        at = folded.find(piece)
    if at < 0:
        return []
    return [(offsets[at], offsets[at + len(piece) - 1] + 1)]


def _by_words(text: str, piece: str) -> list[Span]:
    """The run of ``text``'s words that best matches ``piece``'s words in order (see the module doc)."""
    words = [(m.start(), m.end(), fold(m.group(0))[0]) for m in _WORD.finditer(text)]
    words = [w for w in words if w[2]]
    wanted = [w for w in (fold(m.group(0))[0] for m in _WORD.finditer(piece)) if w]
    if not wanted or not words:
        return []
    matcher = SequenceMatcher(None, [w[2] for w in words], wanted, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    best: list = []
    group: list = []
    for block in blocks:  # in order of both sequences: runs close together form one passage
        if group and (block.a - (group[-1].a + group[-1].size) > _MAX_GAP
                      or block.b - (group[-1].b + group[-1].size) > _MAX_GAP):
            group = []
        group.append(block)
        if sum(b.size for b in group) > sum(b.size for b in best):
            best = list(group)
    if sum(b.size for b in best) < max(1, _MIN_SHARE * len(wanted)):
        return []
    return [(words[best[0].a][0], words[best[-1].a + best[-1].size - 1][1])]  # the few words between included


def _folded_index(offsets: list[int], text_offset: int) -> int:
    """The first folded index at or after ``text_offset`` in the original."""
    low, high = 0, len(offsets)
    while low < high:
        middle = (low + high) // 2
        if offsets[middle] < text_offset:
            low = middle + 1
        else:
            high = middle
    return low
