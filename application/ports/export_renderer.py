"""Rendering exported conversations into a file: the document model the export use case builds
(application.use_cases.export_threads) and one renderer per format (adapters.export)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

import attrs


@attrs.frozen(kw_only=True)
class ExportedCitation:
    """A numbered source of an answer, shown as its footnote: where it stands and what it says."""

    number: int
    label: str  # the locator label ("p. 3", "Sheet1!A1:C4", "00:01:05") or "" when it has none
    quote: str
    document: str  # the document's file name ("" when it was deleted since)


@attrs.frozen(kw_only=True)
class ExportedTurn:
    question: str
    answer: str  # with the citations' markers as the model wrote them: "... 30 days [1]."
    asked_at: datetime
    model: str
    citations: tuple[ExportedCitation, ...] = ()


@attrs.frozen(kw_only=True)
class ExportedThread:
    id: uuid.UUID
    title: str
    scope: str  # document, documents or library
    documents: tuple[str, ...]  # the file names the thread is about (none: the whole library)
    created_at: datetime
    updated_at: datetime
    turns: tuple[ExportedTurn, ...] = ()


@attrs.frozen(kw_only=True)
class ConversationExport:
    """What one exported file holds: a thread, or every thread of a date range, oldest first."""

    title: str
    generated_at: datetime
    threads: tuple[ExportedThread, ...] = ()
    period: str = ""  # "2026-01-01 to 2026-01-31" for a history, "" for one thread

    @property
    def empty(self) -> bool:
        return not any(thread.turns for thread in self.threads)


EMPTY_TEXT = "No questions yet."  # what every format says for an export without a question


class ExportRenderer(Protocol):
    """One file format: ``render`` gives the file's bytes; an empty export is a valid file too."""

    media_type: str  # the HTTP Content-Type
    extension: str  # without the dot

    def render(self, export: ConversationExport) -> bytes: ...


class ExportRenderers(Protocol):
    def renderer(self, format: str) -> ExportRenderer:
        """The renderer of ``format`` (one of application.use_cases.export_threads.FORMATS)."""
        ...
