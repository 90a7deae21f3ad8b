"""GeminiLanguageModel through the real google-genai SDK against a local server speaking Gemini's API."""

from __future__ import annotations

import pytest

from adapters.llm.gemini import GeminiLanguageModel
from application.ports.language_model import (
    Completion,
    CompletionDelta,
    LanguageModelRejected,
    LanguageModelUnavailable,
)
from application.prompts import SYSTEM_PROMPT
from tests.llm_stubs import (
    Reply,
    StubServer,
    gemini_answer,
    gemini_error,
    gemini_model,
    gemini_stream,
    sample_request,
)

REQUEST = sample_request()


model = gemini_model


def test_plain_answer_with_usage_and_the_wire_format() -> None:
    with StubServer([gemini_answer("The total is 42000 EUR [1].", tokens_in=120, tokens_out=9)]).running() as server:
        completion = model(server).complete(REQUEST)
    assert completion == Completion(text="The total is 42000 EUR [1].", tokens_in=120, tokens_out=9,
                                    model="gemini-2.5-flash")
    [sent] = server.requests
    assert sent.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert sent.headers["x-goog-api-key"] == "test-key"
    assert sent.body["systemInstruction"]["parts"][0]["text"] == SYSTEM_PROMPT
    [content] = sent.body["contents"]
    assert content["role"] == "user"
    assert "[1] (page 2)\nThe total is 42000 EUR." in content["parts"][0]["text"]
    assert content["parts"][0]["text"].endswith("Question: What is the total?")


def test_the_api_version_comes_from_config() -> None:
    with StubServer([gemini_answer("ok")]).running() as server:
        model(server, api_version="v1").complete(REQUEST)
    assert server.requests[0].path == "/v1/models/gemini-2.5-flash:generateContent"


def test_streamed_answer_with_usage_in_the_last_chunk() -> None:
    with StubServer([gemini_stream(["The total ", "is 42000 EUR ", "[1]."], tokens_in=50, tokens_out=6)]).running() \
            as server:
        items = list(model(server).stream(REQUEST))
    *deltas, last = items
    assert deltas == [CompletionDelta(text="The total "), CompletionDelta(text="is 42000 EUR "),
                      CompletionDelta(text="[1].")]
    assert last == Completion(text="The total is 42000 EUR [1].", tokens_in=50, tokens_out=6, model="gemini-2.5-flash")
    assert server.requests[0].path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_overload_and_server_errors_are_unavailable_and_not_retried_by_the_sdk(status: int) -> None:
    with StubServer([gemini_error(status), gemini_answer("late")]).running() as server:
        with pytest.raises(LanguageModelUnavailable) as caught:
            model(server).complete(REQUEST)
    assert caught.value.status == status and caught.value.model == "gemini-2.5-flash"
    assert len(server.requests) == 1  # retries belong to the fallback chain, not to the SDK


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_the_callers_errors_are_rejected(status: int) -> None:
    with StubServer([gemini_error(status, "API key not valid")]).running() as server:
        with pytest.raises(LanguageModelRejected) as caught:
            model(server).complete(REQUEST)
    assert caught.value.status == status
    assert "API key not valid" in str(caught.value)


def test_a_timeout_is_unavailable() -> None:
    with StubServer([Reply(delay=2.0, body=b"{}")]).running() as server:
        with pytest.raises(LanguageModelUnavailable):
            model(server, timeout_seconds=0.3).complete(REQUEST)


def test_a_connection_error_is_unavailable() -> None:
    with StubServer([]).running() as server:
        url = server.url
    with pytest.raises(LanguageModelUnavailable):
        GeminiLanguageModel(api_key="k", base_url=url, timeout_seconds=2).complete(REQUEST)


@pytest.mark.parametrize("body", [b"not json at all", b'{"candidates": []}', b'{"candidates": "nope"}'])
def test_a_malformed_body_is_unavailable(body: bytes) -> None:
    with StubServer([Reply(body=body)]).running() as server:
        with pytest.raises(LanguageModelUnavailable):
            model(server).complete(REQUEST)


def test_a_stream_that_fails_is_unavailable() -> None:
    with StubServer([gemini_error(500)]).running() as server:
        with pytest.raises(LanguageModelUnavailable):
            list(model(server).stream(REQUEST))


def test_a_follow_up_carries_the_threads_turns_and_its_standalone_question() -> None:
    import attrs

    request = attrs.evolve(REQUEST, question="How many units of KX-22 are at the Riga depot?",
                           history=(("How many units of KX-22 are at the Tallinn depot?", "340 [1]."),))
    with StubServer([gemini_answer("410 [1].", tokens_in=10, tokens_out=2)]).running() as server:
        model(server).complete(request)
    text = server.requests[0].body["contents"][0]["parts"][0]["text"]
    assert "User: How many units of KX-22 are at the Tallinn depot?\nAssistant: 340 [1]." in text
    assert text.index("Assistant: 340") < text.index("Question: How many units of KX-22 are at the Riga depot?")
