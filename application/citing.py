"""From an answer's ``[n]`` markers to the citations users see.

1. Markers are renumbered 1..n in the order they appear in the answer (a model may write [4]
   before [1], skip numbers, or name a source that does not exist: that marker goes).
2. Each citation is pinpointed to the located part of its chunk that best supports the text
   before its marker (domain.citations.pinpoint), then checked: the part (or the chunk) must
   hold that text (one of its numbers, or enough of its words); a citation that fails is
   dropped from the answer and logged.
3. Its locators are narrowed to the line or the sheet row holding the claim where the format has
   them, and its quote is that line.

``StreamRenumbering`` applies step 1 to streamed text as it arrives, so the pieces a user sees
carry the same numbers as the final answer."""

from __future__ import annotations

import re
from collections.abc import Mapping

import structlog

from domain.chunks import Chunk
from domain.citations import QUOTE_CHARS, best_line, drop_markers, evidence_by_number, narrow, pinpoint, renumber, supports
from domain.conversations import Citation

log = structlog.get_logger(__name__)

_HELD_TAIL = re.compile(r"\s*(?:\[\d{0,3})?$")  # a marker may still follow (and take the space before it)


def cite(answer: str, chunks_by_number: Mapping[int, Chunk]) -> tuple[str, list[Citation]]:
    """The answer with its markers renumbered (and unsupported ones dropped), and its citations."""
    text, mapping = renumber(answer, set(chunks_by_number))
    evidence = evidence_by_number(text)
    kept: list[Citation] = []
    dropped: set[int] = set()
    for number, source in mapping.items():
        chunk = chunks_by_number[source]
        claim = evidence.get(number, "")
        locators, quote = pinpoint(chunk, claim)
        parts = [(loc, part) for loc, part in chunk.located_texts() if loc in locators] or [
            (loc, chunk.text) for loc in locators]
        located = "\n".join(part for _, part in parts)
        if claim and not supports(located, claim) and not supports(chunk.text, claim):
            log.warning("citation_dropped_unsupported", source=source, document_id=str(chunk.document_id),
                        chunk=chunk.ordinal)
            dropped.add(number)
            continue
        narrowed = tuple(narrow(loc, part, claim) for loc, part in parts)
        kept.append(Citation(number=number, document_id=chunk.document_id, chunk_ordinal=chunk.ordinal,
                             locators=narrowed or locators, quote=_quote(located, claim) or quote))
    if dropped:
        text = drop_markers(text, dropped)
        kept = [Citation(number=i + 1, document_id=c.document_id, chunk_ordinal=c.chunk_ordinal, locators=c.locators,
                         quote=c.quote) for i, c in enumerate(kept)]
    return text, kept


def _quote(text: str, claim: str) -> str:
    """The line of ``text`` that best holds ``claim`` (a table row, then its header line), cut to
    ``QUOTE_CHARS``; "" when no line stands out."""
    lines = text.split("\n")
    index = best_line(lines, claim)
    if index is None:
        return ""
    line = lines[index]
    above = index - 1
    while line.startswith("|") and above > 0 and lines[above].startswith("|"):
        if lines[above].startswith("|---"):  # the row's table header is the line above its separator
            if above - 1 != index:  # the row first: the header can be longer than a quote
                line = line + "\n" + lines[above - 1]
            break
        above -= 1
    return line[:QUOTE_CHARS]


class StreamRenumbering:
    """Renumbers markers in streamed text like ``cite`` does (by first appearance, unknown sources
    left out), holding back the end of a piece inside a marker until it closes, and its trailing
    whitespace until the next piece shows whether a marker (which may take a space with it) follows."""

    def __init__(self, known: set[int]) -> None:
        self._known, self._mapping, self._held = known, {}, ""

    def feed(self, piece: str) -> str:
        text = self._held + piece
        tail = _HELD_TAIL.search(text)  # always found (it may be empty)
        cut = tail.start() if tail else len(text)
        self._held = text[cut:]
        return self._renumber(text[:cut])

    def flush(self) -> str:
        held, self._held = self._held, ""
        return self._renumber(held)

    def _renumber(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            source = int(match.group(1))
            if source not in self._known:
                return ""
            if source not in self._mapping:
                self._mapping[source] = len(self._mapping) + 1
            return match.group(0).replace(f"[{source}]", f"[{self._mapping[source]}]")

        return re.sub(r"\s?\[(\d{1,3})\]", replace, text)
