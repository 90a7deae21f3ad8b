"""FallbackLanguageModel over the real adapters (real SDKs, local servers) and over scripted models."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.llm.fallback import FallbackLanguageModel
from adapters.llm.offline import OfflineLanguageModel
from adapters.text.snowball import SnowballAnalyzer
from application.ports.language_model import (
    AnswerRequest,
    Completion,
    CompletionDelta,
    LanguageModelRejected,
    LanguageModelUnavailable,
    Source,
)
from application.prompts import SYSTEM_PROMPT
from tests.llm_stubs import (
    StubServer,
    gemini_answer,
    gemini_error,
    gemini_model,
    gemini_stream,
    openai_answer,
    openai_error,
    openai_model,
    openai_stream,
)

REQUEST = AnswerRequest(system=SYSTEM_PROMPT, question="What is the invoice total?",
                        sources=(Source(number=1, label="page 2", text="The invoice total is 42000 EUR."),))


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def chain(*models: object, retries: int = 2) -> tuple[FallbackLanguageModel, Sleeps]:
    sleeps = Sleeps()
    return FallbackLanguageModel(models, max_retries=retries, base_delay=0.5, max_delay=8, sleep=sleeps,
                                 jitter=lambda: 0.5), sleeps


gemini = gemini_model


def test_429_then_success_is_retried_after_a_backoff() -> None:
    with StubServer([gemini_error(429), gemini_error(429), gemini_answer("42000 EUR [1].")]).running() as server:
        llm, sleeps = chain(gemini(server))
        completion = llm.complete(REQUEST)
    assert completion.text == "42000 EUR [1]." and completion.model == "gemini-2.5-flash"
    assert len(server.requests) == 3
    assert sleeps == [0.5 * 0.75, 1.0 * 0.75]  # exponential, scaled by the jitter factor 0.5 + 0.5/2


def test_retry_after_from_the_provider_is_honoured() -> None:
    with StubServer([openai_error(429, headers={"retry-after": "2"}), openai_answer("ok")]).running() as server:
        llm, sleeps = chain(openai_model(server))
        assert llm.complete(REQUEST).text == "ok"
    assert sleeps == [2.0]


def test_persistent_500_falls_back_to_the_next_model_which_is_recorded() -> None:
    with StubServer([gemini_error(500)], repeat_last=True).running() as failing, \
            StubServer([openai_answer("From OpenAI [1].")]).running() as healthy:
        llm, sleeps = chain(gemini(failing), openai_model(healthy))
        completion = llm.complete(REQUEST)
    assert len(failing.requests) == 3  # 1 + 2 retries
    assert len(sleeps) == 2
    assert completion.model == "gpt-4o-mini" and completion.text == "From OpenAI [1]."
    assert llm.name == "gemini-2.5-flash"  # the chain answers to its first model's name


def test_offline_is_the_last_resort() -> None:
    with StubServer([openai_error(503)], repeat_last=True).running() as failing:
        llm, _ = chain(openai_model(failing), OfflineLanguageModel(SnowballAnalyzer()), retries=1)
        completion = llm.complete(REQUEST)
    assert completion.model == "offline-extractive" and "42000 EUR" in completion.text


def test_the_callers_4xx_is_not_retried_but_the_next_model_is_asked() -> None:
    with StubServer([gemini_error(401)], repeat_last=True).running() as failing, \
            StubServer([openai_answer("ok")]).running() as healthy:
        llm, sleeps = chain(gemini(failing), openai_model(healthy))
        assert llm.complete(REQUEST).model == "gpt-4o-mini"
    assert len(failing.requests) == 1 and sleeps == []


def test_when_every_model_fails_the_error_is_unavailable() -> None:
    with StubServer([gemini_error(500)], repeat_last=True).running() as a, \
            StubServer([openai_error(400)], repeat_last=True).running() as b:
        llm, _ = chain(gemini(a), openai_model(b), retries=1)
        with pytest.raises(LanguageModelUnavailable):
            llm.complete(REQUEST)


def test_when_every_model_rejects_the_error_is_rejected() -> None:
    with StubServer([openai_error(401)], repeat_last=True).running() as server:
        llm, sleeps = chain(openai_model(server))
        with pytest.raises(LanguageModelRejected):
            llm.complete(REQUEST)
    assert sleeps == [] and len(server.requests) == 1


def test_a_stream_falls_back_before_its_first_piece() -> None:
    with StubServer([gemini_error(503)], repeat_last=True).running() as failing, \
            StubServer([openai_stream(["42000 ", "EUR [1]."])]).running() as healthy:
        llm, _ = chain(gemini(failing), openai_model(healthy), retries=1)
        *deltas, last = list(llm.stream(REQUEST))
    assert "".join(d.text for d in deltas) == last.text == "42000 EUR [1]."
    assert last.model == "gpt-4o-mini"


def test_a_stream_after_a_429_is_retried() -> None:
    with StubServer([gemini_error(429), gemini_stream(["ok ", "[1]."])]).running() as server:
        llm, sleeps = chain(gemini(server))
        *deltas, last = list(llm.stream(REQUEST))
    assert last.text == "ok [1]." and len(sleeps) == 1


class BreaksMidStream:
    name = "fragile"

    def complete(self, request: AnswerRequest) -> Completion:
        raise AssertionError

    def stream(self, request: AnswerRequest) -> Iterator[CompletionDelta | Completion]:
        yield CompletionDelta(text="The total ")
        raise LanguageModelUnavailable("connection reset", model=self.name)


def test_a_stream_that_breaks_after_text_was_sent_is_not_retried() -> None:
    llm, sleeps = chain(BreaksMidStream(), OfflineLanguageModel(SnowballAnalyzer()))
    stream = llm.stream(REQUEST)
    assert next(stream) == CompletionDelta(text="The total ")
    with pytest.raises(LanguageModelUnavailable, match="in the middle"):
        next(stream)
    assert sleeps == []


def test_backoff_is_capped_and_jittered() -> None:
    llm = FallbackLanguageModel([OfflineLanguageModel(SnowballAnalyzer())], base_delay=1, max_delay=5, jitter=lambda: 0.0)
    assert [llm.delay(n) for n in range(5)] == [0.5, 1.0, 2.0, 2.5, 2.5]
    high = FallbackLanguageModel([OfflineLanguageModel(SnowballAnalyzer())], base_delay=1, max_delay=5, jitter=lambda: 0.999)
    assert 0.99 < high.delay(0) < 1.0 and high.delay(10) < 5
    assert llm.delay(0, retry_after=30) == 5  # a Retry-After is capped too


def test_a_chain_needs_a_model() -> None:
    with pytest.raises(ValueError):
        FallbackLanguageModel([])
