"""Text analysis for search: a text's language and its index terms (stemmed, without function words).

The same analyzer cuts a document's chunks into terms when they are indexed and a question when
it is asked, so both meet on the same stems ("revenues" and "revenue" -> "revenu", "штрафа" and
"штраф" -> "штраф")."""

from __future__ import annotations

from typing import Protocol


class TextAnalyzer(Protocol):
    name: str  # names the analysis: an index built by another analyzer is built again

    def language(self, text: str) -> str:
        """An ISO 639-1 code ("en", "ru" ...) or "und" when it cannot be told."""
        ...

    def terms(self, text: str, language: str) -> list[str]:
        """The text's terms in order: case-folded words and numbers, stemmed for their script
        (Cyrillic words as Russian, Latin-script words as ``language`` when it has a stemmer,
        else as English), function words left out; a language without a stemmer gives plain terms."""
        ...
