"""An overview without a model: the opening sentences of evenly spaced sources (a lead-based
extract), for a request to summarise (adapters/llm/offline.py)."""

from __future__ import annotations

from collections.abc import Callable

from application.keyless.phrasing import sentence_answer
from application.keyless.units import paragraphs, split_sentences
from application.ports.language_model import Source

Terms = Callable[[str], set[str]]
_OVERVIEW_SENTENCES = 5


def lead_sentences(sources: tuple[Source, ...], terms: Terms) -> str | None:
    """An overview: the first real sentence of up to ``_OVERVIEW_SENTENCES`` evenly spaced sources."""
    if not sources:
        return None
    step = max(1, len(sources) / _OVERVIEW_SENTENCES)
    picked = sorted({int(i * step) for i in range(_OVERVIEW_SENTENCES) if int(i * step) < len(sources)})
    chosen = []
    for index in picked:
        source = sources[index]
        candidates = [s for p in paragraphs(source.text) for s in split_sentences(p) if not s.startswith("|")]
        prose = [s for s in candidates if len(s.split()) >= 6 and s[-1] in ".!?…" and len(terms(s)) >= 4]
        lead = next(iter(prose), None) or next((s for s in candidates if len(terms(s)) >= 3), None)
        if lead:
            chosen.append(sentence_answer(lead, source.number))
    return " ".join(chosen) or None
