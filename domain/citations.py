"""Pinpointing citations: from a cited chunk to the paragraph, page or cells that support the claim."""

from __future__ import annotations

import re

from domain.chunks import Chunk
from domain.locators import Locator
from domain.text import terms

_MARKER_RUN = re.compile(r"(?:\s*\[\d{1,3}\])+")
_NUMBER = re.compile(r"\[(\d{1,3})\]")
QUOTE_CHARS = 300


def evidence_by_number(answer: str) -> dict[int, str]:
    """For each cited source number, the answer's text that cites it (the text before its marker)."""
    evidence: dict[int, str] = {}
    previous_end = 0
    for run in _MARKER_RUN.finditer(answer):
        claim = answer[previous_end : run.start()].lstrip(".;,:!?)» \n").strip()
        for number in (int(n) for n in _NUMBER.findall(run.group(0))):
            evidence[number] = f"{evidence.get(number, '')} {claim}".strip()
        previous_end = run.end()
    return evidence


def pinpoint(chunk: Chunk, evidence: str) -> tuple[tuple[Locator, ...], str]:
    """The chunk's locators that best support ``evidence``, and the quote they cover.

    Scores each located part of the chunk by the share of the evidence's terms it contains; keeps
    the best part (and any that tie with it). Without spans or overlap, the whole chunk stands."""
    parts = chunk.located_texts()
    wanted = {t for t in terms(evidence) if len(t) > 1}
    if len(parts) <= 1 or not wanted:
        return chunk.locators, chunk.text[:QUOTE_CHARS]
    scores = [len(wanted & set(terms(text))) for _, text in parts]
    best = max(scores)
    if best == 0:
        return chunk.locators, chunk.text[:QUOTE_CHARS]
    chosen = [i for i, score in enumerate(scores) if score == best]
    quote = " … ".join(parts[i][1] for i in chosen)
    return tuple(parts[i][0] for i in chosen), quote[:QUOTE_CHARS]
