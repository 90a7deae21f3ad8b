"""A chain of language models: bounded retries with exponential backoff and jitter, then the next.

For each model in order: LanguageModelUnavailable (429, 5xx, timeout, connection, malformed
reply) is retried up to ``max_retries`` times, sleeping ``min(max_delay, base_delay * 2**n)``
scaled by a random factor in [0.5, 1) ("equal jitter": never a thundering herd, never zero), or
the provider's Retry-After when it says so (capped at ``max_delay``). LanguageModelRejected (the
caller's 4xx) is not retried: the next model is asked at once. When every model failed, the last
error is raised (LanguageModelUnavailable if any model was merely unavailable).

A stream falls back only before its first piece of text: once text has reached the user it
cannot be taken back, so a failure mid-stream is raised as LanguageModelUnavailable.

``name`` is the first model's name (the answer-cache key); each Completion names the model that
really answered, which the conversation records.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence

import structlog

from application.ports.language_model import (
    AnswerRequest,
    Completion,
    CompletionDelta,
    LanguageModel,
    LanguageModelRejected,
    LanguageModelUnavailable,
)

log = structlog.get_logger(__name__)


class FallbackLanguageModel:
    """Implements application.ports.language_model.LanguageModel over several of them."""

    def __init__(self, models: Sequence[LanguageModel], *, max_retries: int = 2, base_delay: float = 0.5,
                 max_delay: float = 8.0, sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random) -> None:
        if not models:
            raise ValueError("a fallback chain needs at least one model")
        if max_retries < 0 or base_delay < 0 or max_delay < 0:
            raise ValueError("retries and delays must not be negative")
        self.models = tuple(models)
        self.name = self.models[0].name
        self.max_retries, self.base_delay, self.max_delay = max_retries, base_delay, max_delay
        self._sleep, self._jitter = sleep, jitter

    def complete(self, request: AnswerRequest) -> Completion:
        for item in self._run(request, streaming=False):
            if isinstance(item, Completion):
                return item
        raise AssertionError("unreachable")  # pragma: no cover

    def stream(self, request: AnswerRequest) -> Iterator[CompletionDelta | Completion]:
        yield from self._run(request, streaming=True)

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (0-based)."""
        if retry_after is not None:
            return min(self.max_delay, retry_after)
        return min(self.max_delay, self.base_delay * 2**retry) * (0.5 + self._jitter() / 2)

    def _run(self, request: AnswerRequest, *, streaming: bool) -> Iterator[CompletionDelta | Completion]:
        last: Exception | None = None
        unavailable: LanguageModelUnavailable | None = None
        for position, model in enumerate(self.models):
            for attempt in range(self.max_retries + 1):
                started = False
                try:
                    if not streaming:
                        yield model.complete(request)
                        return
                    for item in model.stream(request):
                        started = True
                        yield item
                    return
                except LanguageModelRejected as error:
                    log.warning("llm_rejected", model=model.name, status=error.status, error=str(error))
                    last = error
                    break  # the caller's fault: retrying this model is pointless
                except LanguageModelUnavailable as error:
                    if started:
                        raise LanguageModelUnavailable(f"{model.name} failed in the middle of its answer: {error}",
                                                       model=model.name, status=error.status) from error
                    last = unavailable = error
                    if attempt < self.max_retries:
                        wait = self.delay(attempt, error.retry_after)
                        log.warning("llm_retry", model=model.name, attempt=attempt + 1, status=error.status,
                                    wait_seconds=round(wait, 3), error=str(error))
                        self._sleep(wait)
                    else:
                        log.warning("llm_gave_up", model=model.name, attempts=attempt + 1, error=str(error))
            if position + 1 < len(self.models):
                log.warning("llm_fallback", failed=model.name, next=self.models[position + 1].name)
        if unavailable is not None:
            raise LanguageModelUnavailable(f"no language model could answer; last error: {last}",
                                           model=unavailable.model, status=unavailable.status) from last
        assert last is not None
        raise last
