"""Language models: a complete call and a streaming call, both carrying token usage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import attrs

from application.errors import TransientError


class LanguageModelUnavailable(TransientError):
    """The model could not be reached or answered with a server error; another may be tried."""


@attrs.frozen(kw_only=True)
class Source:
    number: int
    label: str
    text: str


@attrs.frozen(kw_only=True)
class AnswerRequest:
    system: str
    question: str
    sources: tuple[Source, ...]
    language: str | None = None


@attrs.frozen(kw_only=True)
class Completion:
    text: str
    tokens_in: int
    tokens_out: int
    model: str


@attrs.frozen(kw_only=True)
class CompletionDelta:
    """A piece of streamed text; the last item of a stream is a Completion."""

    text: str


class LanguageModel(Protocol):
    name: str

    def complete(self, request: AnswerRequest) -> Completion: ...
    def stream(self, request: AnswerRequest) -> Iterator[CompletionDelta | Completion]: ...
