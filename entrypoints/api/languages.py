"""The languages the API and the dashboard speak (English, Russian), and the one a request asks for
with Accept-Language: the API labels citations in it ("стр. 12"); the dashboard's scripts send their
page's language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

LANGUAGES = ("en", "ru")
DEFAULT = "en"


def supported(code: str | None) -> str | None:
    """``code`` as a supported language ("ru-RU" -> "ru"), or None."""
    short = (code or "").strip().lower()[:2]
    return short if short in LANGUAGES else None


def negotiate(accept_language: str | None) -> str | None:
    """The supported language the client prefers most (Accept-Language with q-values), or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        language = supported(tag)
        if language is not None and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def label_language(accept_language: Annotated[str | None, Header(include_in_schema=False)] = None) -> str:
    return negotiate(accept_language) or DEFAULT


LabelLanguageDep = Annotated[str, Depends(label_language)]
