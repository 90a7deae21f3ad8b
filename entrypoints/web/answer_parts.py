"""An answer split around its [n] citation markers, for templates: the History page shows each
marker as a link to its footnote, and a template cannot split text without markup in it (the
parts are escaped by Jinja like any other value). Markers that name no citation stay text, as
on the Ask page (entrypoints/web/static/js/answer_view.js does the same in the browser)."""

from __future__ import annotations

import re
from collections.abc import Collection

import attrs

_MARKER = re.compile(r"\[(\d{1,3})\]")


@attrs.frozen
class Part:
    text: str
    number: int | None = None  # the citation a marker names; None for plain text


def answer_parts(answer: str, numbers: Collection[int]) -> list[Part]:
    """``answer`` as text parts and marker parts (for the citation ``numbers`` that exist)."""
    parts: list[Part] = []
    at = 0
    for match in _MARKER.finditer(answer):
        number = int(match.group(1))
        if number not in numbers:
            continue
        if match.start() > at:
            parts.append(Part(answer[at:match.start()]))
        parts.append(Part(match.group(0), number))
        at = match.end()
    if at < len(answer):
        parts.append(Part(answer[at:]))
    return parts
