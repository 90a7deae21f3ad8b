"""Pinpointing citations: from a cited chunk to the paragraph, page or cells that support the claim."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import attrs

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
    the best part (and any that tie with it), then any part that holds a good share of the terms
    still not covered. Without spans or overlap, the whole chunk stands."""
    parts = chunk.located_texts()
    wanted = {t for t in terms(evidence) if len(t) > 1}
    if len(parts) <= 1 or not wanted:
        return chunk.locators, chunk.text[:QUOTE_CHARS]
    scores = [len(wanted & set(terms(text))) for _, text in parts]
    best = max(scores)
    if best == 0:
        return chunk.locators, chunk.text[:QUOTE_CHARS]
    chosen = [i for i, score in enumerate(scores) if score == best]
    part_terms = [set(terms(text)) for _, text in parts]
    left = wanted - set().union(*(part_terms[i] for i in chosen))
    while left:  # an answer citing one source for two claims (a sentence, then the formula it announces)
        gain, index = max(((len(left & t), i) for i, t in enumerate(part_terms) if i not in chosen), default=(0, 0))
        if gain < max(_COVER_TERMS, _COVER_SHARE * len(wanted)):
            break
        chosen.append(index)
        left -= part_terms[index]
    chosen.sort()
    quote = " … ".join(parts[i][1] for i in chosen)
    return tuple(parts[i][0] for i in chosen), quote[:QUOTE_CHARS]


_COVER_TERMS, _COVER_SHARE = 3, 0.25  # a second part joins when it adds this many of the evidence's terms
_MARKER = re.compile(r"\s?\[(\d{1,3})\]")
# A number: digits with , or . separators; or 1-3 digits then groups of 3 after a space ("1 234 567",
# "39 921 700,00"), a group not itself the start of a comma-separated number ("81,797 82,959" is two).
_NUMBER_TOKEN = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3}(?!\d)(?![,.]\d{3}))+(?:[,.]\d+)?|\d+(?:[,.]\d+)*")
_DECIMAL_COMMA = re.compile(r",(\d{1,2})$")  # "700,00", "0,1": a comma before the last 1-2 digits
_WORD_TOKEN = re.compile(r"[^\W\d_]{3,}")
_SUPPORT_SHARE = 0.4
_FUNCTION_WORDS = frozenset(
    "the and was were for with that this from has have had are its their which who what when where how also "
    "than then into about over under been being will would could should may might not but all any each "
    "company document according source sources says said states stated total "
    "это как что кто где когда для при или его она они было были будет также согласно документу".split())
_PREFIX = 5
_CELLS = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")


def renumber(answer: str, known: set[int]) -> tuple[str, dict[int, int]]:
    """The answer with its markers numbered 1..n in order of first appearance, markers of unknown
    sources removed, and the map new number -> source number."""
    mapping: dict[int, int] = {}

    def replace(match: re.Match[str]) -> str:
        source = int(match.group(1))
        if source not in known:
            return ""
        new = next((n for n, s in mapping.items() if s == source), None)
        if new is None:
            new = len(mapping) + 1
            mapping[new] = source
        return match.group(0).replace(f"[{source}]", f"[{new}]")

    return _MARKER.sub(replace, answer), mapping


def drop_markers(answer: str, numbers: set[int]) -> str:
    """The answer without the markers of ``numbers`` (the others renumbered to stay 1..n)."""
    if not numbers:
        return answer
    kept = sorted({int(m.group(1)) for m in _MARKER.finditer(answer)} - numbers)
    new = {old: i + 1 for i, old in enumerate(kept)}
    return _MARKER.sub(lambda m: "" if int(m.group(1)) in numbers
                       else m.group(0).replace(m.group(1), str(new[int(m.group(1))])), answer)


def _numbers(text: str) -> set[str]:
    """The numbers of ``text`` as written without thousands separators ("39 921 700,00" -> "39921700.00")."""
    out = set()
    for token in _NUMBER_TOKEN.findall(text):
        token = "".join(token.split())
        if "." not in token:
            token = _DECIMAL_COMMA.sub(r".\1", token)
        out.add(token.replace(",", ""))
    return out


def _values(text: str) -> list[Decimal]:
    out = []
    for n in _numbers(text):
        try:
            out.append(Decimal(n))
        except InvalidOperation:  # "1.234.567"
            continue
    return out


def _exponent(number: Decimal) -> int:
    """The power of ten of ``number``'s last digit ("81.8" -> -1, "8.18E+4" -> 2)."""
    exponent = number.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def _rounds_to(value: Decimal, values: list[Decimal]) -> bool:
    """``value`` is one of ``values`` in the same or another unit (thousands, millions, billions),
    the more precise of the two rounded to the other's precision: "$81.8 billion" and "$82 billion"
    for a table's "81,797" in millions, not "$81.7 billion" nor "$81,900 million"."""
    if not value:
        return False
    for other in values:
        for shift in (0, -3, 3, -6, 6):
            scaled = other.scaleb(shift)
            step = Decimal(1).scaleb(max(_exponent(value), _exponent(scaled)))
            if other and value.quantize(step, ROUND_HALF_UP) == scaled.quantize(step, ROUND_HALF_UP):
                return True
    return False


def supports(text: str, claim: str) -> bool:
    """Whether ``text`` holds the claim: one of the claim's numbers (compared without thousands
    separators, and as a rounding in the same or another unit), or two of its words or ``_SUPPORT_SHARE``
    of them (compared by their first letters, so inflections match; function words left out).
    A claim with neither (a bare marker) is supported."""
    numbers = {n for n in _numbers(claim) if len(n.replace(".", "")) >= 2}
    folded = text.casefold()
    if numbers:
        present_numbers = _numbers(folded)
        values = _values(folded)
        if numbers & present_numbers or any(_rounds_to(v, values) for v in _values(" ".join(numbers))):
            return True
    words = {w[:_PREFIX] for w in _WORD_TOKEN.findall(claim.casefold()) if w not in _FUNCTION_WORDS}
    if not words:
        return not numbers
    present = {w[:_PREFIX] for w in _WORD_TOKEN.findall(folded)}
    held = len(words & present)
    return held >= 2 or held >= _SUPPORT_SHARE * len(words)


def narrow(locator: Locator, text: str, evidence: str) -> Locator:
    """The locator cut to the line (text files) or the sheet row (a table block's ``A5:F9``) of
    ``text`` that best holds ``evidence``; the locator itself when the format has no finer parts
    or nothing stands out."""
    lines = text.split("\n")
    wanted = _numbers(evidence) | {w[:_PREFIX] for w in _WORD_TOKEN.findall(evidence.casefold())}
    if len(lines) < 2 or not wanted:
        return locator
    if locator.line_start is not None:
        best = _best_line(lines, wanted)
        if best is None:
            return locator
        line = locator.line_start + best
        if locator.line_end is not None and line > locator.line_end:
            return locator
        return attrs.evolve(locator, line_start=line, line_end=line)
    cells = _CELLS.match(locator.cells or "")
    if cells is not None:
        rows = [i for i, line in enumerate(lines) if line.startswith("|")]
        if len(rows) < 3 or not lines[rows[1]].startswith("|---"):
            return locator
        data = rows[2:]  # after the header row and its separator
        best = _best_line([lines[i] for i in data], wanted)
        first, last = int(cells.group(2)), int(cells.group(4))
        if best is None or first + best > last:
            return locator
        row = first + best
        return attrs.evolve(locator, cells=f"{cells.group(1)}{row}:{cells.group(3)}{row}")
    return locator


def best_line(lines: list[str], claim: str) -> int | None:
    """The index of the one line that holds most of ``claim``'s numbers and words (None on a tie
    or no overlap)."""
    wanted = _numbers(claim) | {w[:_PREFIX] for w in _WORD_TOKEN.findall(claim.casefold())}
    return _best_line(lines, wanted) if wanted and lines else None


def _best_line(lines: list[str], wanted: set[str]) -> int | None:
    """The index of the one line holding most of ``wanted`` (None on a tie or no overlap)."""
    scores = []
    for line in lines:
        folded = line.casefold()
        scores.append(len(wanted & (_numbers(folded) | {w[:_PREFIX] for w in _WORD_TOKEN.findall(folded)})))
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return None
    return scores.index(best)
