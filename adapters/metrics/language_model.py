"""Model calls by backend and outcome: a LanguageModel wrapping one member of the fallback chain.

The container wraps each backend of the chain (config/container.py), so FallbackLanguageModel's
retries and fallbacks are counted call by call without the chain knowing: ``role`` is "primary"
for the chain's first backend and "fallback" for the others, so the fallback rate is
``calls{role="fallback"} / calls`` (docker/prometheus/rules.yml). Outcomes: ok, unavailable (429,
5xx, timeouts: retried, then the next backend), rejected (the request's fault), error (anything
else). A stream counts once, when it ends.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import Counter, Histogram

from application.ports.language_model import (
    AnswerRequest,
    Completion,
    CompletionDelta,
    LanguageModel,
    LanguageModelRejected,
    LanguageModelUnavailable,
)

BACKENDS = ("offline", "gemini", "openai")
ROLES = ("primary", "fallback")
OUTCOMES = ("ok", "unavailable", "rejected", "error")

MODEL_CALLS = Counter("assistant_model_calls_total", "Language-model calls by backend, role in the chain and outcome",
                      ["backend", "role", "outcome"])
MODEL_SECONDS = Histogram("assistant_model_call_seconds", "Duration of a language-model call", ["backend"],
                          buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120))
for _backend in BACKENDS:  # every series exists from the start (rate() of a new series misses its first call)
    MODEL_SECONDS.labels(_backend)
    for _role in ROLES:
        for _outcome in OUTCOMES:
            MODEL_CALLS.labels(_backend, _role, _outcome)


class MeteredLanguageModel:
    """Implements application.ports.language_model.LanguageModel around ``inner``."""

    def __init__(self, inner: LanguageModel, *, backend: str, primary: bool) -> None:
        self.inner = inner
        self.name = inner.name
        self._backend = backend if backend in BACKENDS else "other"
        self._role = ROLES[0] if primary else ROLES[1]

    def __getattr__(self, name: str) -> object:  # anything else the backend offers (e.g. its client)
        return getattr(self.inner, name)

    def complete(self, request: AnswerRequest) -> Completion:
        with _Metered(self._backend, self._role):
            return self.inner.complete(request)

    def stream(self, request: AnswerRequest) -> Iterator[CompletionDelta | Completion]:
        with _Metered(self._backend, self._role):
            yield from self.inner.stream(request)


class _Metered:
    """One call counted by outcome and timed, however it ends (a plain class: a contextlib
    generator would add about 1 us of CPU to every call, bench.metering)."""

    __slots__ = ("_backend", "_role", "_started")

    def __init__(self, backend: str, role: str) -> None:
        self._backend, self._role, self._started = backend, role, time.perf_counter()

    def __enter__(self) -> None:
        return None

    def __exit__(self, error: type[BaseException] | None, *_: object) -> None:
        MODEL_CALLS.labels(self._backend, self._role, _outcome(error)).inc()
        MODEL_SECONDS.labels(self._backend).observe(time.perf_counter() - self._started)


def _outcome(error: type[BaseException] | None) -> str:
    if error is None or issubclass(error, GeneratorExit):  # GeneratorExit: the reader stopped a stream early
        return "ok"                                        # (a client went away), not the model's fault
    if issubclass(error, LanguageModelUnavailable):
        return "unavailable"
    if issubclass(error, LanguageModelRejected):
        return "rejected"
    return "error"
