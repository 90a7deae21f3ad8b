"""A question as concepts: each of its terms, or a vocabulary entry (domain.vocabulary) with the
phrases a document may use instead. A text holds a concept when it holds all the terms of one
of its variants; retrieval and the keyless answerer weigh and match questions this way."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from domain.vocabulary import alternatives

Terms = Callable[[str], set[str]]
Concept = tuple[frozenset[str], ...]  # variants, the question's own words first


def concepts(question: str, terms: Terms) -> list[Concept]:
    own = terms(question)
    found: list[Concept] = []
    taken: set[str] = set()
    for words, phrases in alternatives(question):
        used = frozenset(terms(words))
        variants = [used] if used else []
        for variant in (frozenset(terms(p)) for p in phrases):
            if variant and variant not in variants:
                variants.append(variant)
        if variants:
            found.append(tuple(variants))
            taken |= used
    found += [(frozenset({t}),) for t in sorted(own - taken)]
    return found


def holds(concept: Concept, text_terms: set[str] | frozenset[str]) -> bool:
    return any(variant <= text_terms for variant in concept)


def expanded_terms(concept_list: Sequence[Concept]) -> list[str]:
    """Every term of every variant (a lexical query's terms), the question's own first."""
    out: dict[str, None] = {}
    for concept in concept_list:
        out.update(dict.fromkeys(sorted(concept[0])))
    for concept in concept_list:
        for variant in concept[1:]:
            out.update(dict.fromkeys(sorted(variant)))
    return list(out)


def weights(concept_list: Sequence[Concept], units: Sequence[set[str] | frozenset[str]]) -> list[tuple[float, bool]]:
    """Each concept's inverse frequency over ``units`` and whether any unit holds it (a concept no
    unit holds weighs as the rarest possible)."""
    n = len(units)
    out = []
    for concept in concept_list:
        df = sum(1 for unit in units if holds(concept, unit))
        out.append((math.log(1 + (n + 1) / (1 + df)), df > 0))
    return out
