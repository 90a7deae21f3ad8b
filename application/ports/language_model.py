"""Language models: a complete call and a streaming call, both carrying token usage.

Adapters translate every vendor error into one of two errors:
- LanguageModelUnavailable: the model could not answer now (429, 5xx, timeout, connection,
  malformed reply). Retrying later, or asking another model, may work.
- LanguageModelRejected: the request itself was refused (a 4xx other than 429: bad key, unknown
  model, request too large). Retrying the same model is pointless; another model may still answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import attrs

from application.errors import TransientError


class LanguageModelUnavailable(TransientError):
    """The model could not be reached or answered with a server error; another may be tried."""

    def __init__(self, message: str, *, model: str = "", status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.model, self.status, self.retry_after = model, status, retry_after


class LanguageModelRejected(Exception):
    """The provider refused the request (the caller's fault: 4xx other than 429); not retried."""

    def __init__(self, message: str, *, model: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.model, self.status = model, status


@attrs.frozen(kw_only=True)
class Source:
    number: int
    label: str
    text: str


@attrs.frozen(kw_only=True)
class AnswerRequest:
    """``purpose``: "answer" (the reply the user reads), or "notes" (the map step of a map-reduce
    pass: key points, each cited, read by the model again rather than by the user)."""

    system: str
    question: str
    sources: tuple[Source, ...]
    language: str | None = None
    purpose: str = "answer"
    history: tuple[tuple[str, str], ...] = ()  # earlier (question, answer) turns of a thread, oldest first


@attrs.frozen(kw_only=True)
class Completion:
    """``tokens_in``/``tokens_out`` come from the provider's usage report (estimated offline)."""

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
