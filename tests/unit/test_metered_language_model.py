"""adapters.metrics.language_model: each call counted once by its outcome, however it ends (the
running processes' figures are checked in tests/e2e/test_metrics_processes.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client import REGISTRY

from adapters.metrics.language_model import MeteredLanguageModel
from application.ports.language_model import LanguageModelRejected, LanguageModelUnavailable


class Scripted:
    """A model that answers, or raises ``error``, from ``complete`` and after one delta of ``stream``."""

    name = "scripted"

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error

    def complete(self, request: Any) -> str:
        if self.error is not None:
            raise self.error
        return "answer"

    def stream(self, request: Any) -> Iterator[str]:
        yield "first"
        if self.error is not None:
            raise self.error
        yield "second"


def calls(outcome: str, role: str = "fallback") -> float:
    return REGISTRY.get_sample_value("assistant_model_calls_total",
                                     {"backend": "openai", "role": role, "outcome": outcome}) or 0.0


def seconds_count() -> float:
    return REGISTRY.get_sample_value("assistant_model_call_seconds_count", {"backend": "openai"}) or 0.0


@pytest.mark.parametrize(("error", "outcome"), [
    (None, "ok"), (LanguageModelUnavailable("503"), "unavailable"), (LanguageModelRejected("400"), "rejected"),
    (RuntimeError("bug"), "error"),
])
def test_a_completion_and_a_stream_are_each_counted_once_by_outcome(error: Exception | None, outcome: str) -> None:
    model = MeteredLanguageModel(Scripted(error), backend="openai", primary=False)
    before, timed = calls(outcome), seconds_count()
    for call in (lambda: model.complete(None), lambda: list(model.stream(None))):
        if error is None:
            call()
        else:
            with pytest.raises(type(error)):
                call()
    assert calls(outcome) - before == 2
    assert seconds_count() - timed == 2


def test_a_stream_the_reader_stops_early_is_ok_not_an_error() -> None:
    model = MeteredLanguageModel(Scripted(RuntimeError("never reached")), backend="openai", primary=True)
    ok, error = calls("ok", "primary"), calls("error", "primary")
    stream = model.stream(None)
    assert next(stream) == "first"
    stream.close()
    assert (calls("ok", "primary") - ok, calls("error", "primary") - error) == (1, 0)
