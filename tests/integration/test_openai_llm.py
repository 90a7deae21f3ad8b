"""OpenAILanguageModel through the real openai SDK against a local server speaking its API."""

from __future__ import annotations

import pytest

from adapters.llm.openai_compatible import OpenAILanguageModel
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
    openai_answer,
    openai_error,
    openai_model,
    openai_stream,
    sample_request,
)

REQUEST = sample_request()


model = openai_model


def test_plain_answer_with_usage_and_the_wire_format() -> None:
    with StubServer([openai_answer("The total is 42000 EUR [1].", tokens_in=120, tokens_out=9)]).running() as server:
        completion = model(server).complete(REQUEST)
    assert completion == Completion(text="The total is 42000 EUR [1].", tokens_in=120, tokens_out=9,
                                    model="gpt-4o-mini")
    [sent] = server.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer sk-test"
    assert sent.body["model"] == "gpt-4o-mini"
    system, user = sent.body["messages"]
    assert system == {"role": "system", "content": SYSTEM_PROMPT}
    assert user["role"] == "user" and "[1] (page 2)\nThe total is 42000 EUR." in user["content"]


def test_a_local_server_needs_no_key() -> None:
    with StubServer([openai_answer("ok")]).running() as server:
        assert model(server, api_key=None).complete(REQUEST).text == "ok"


def test_streamed_answer_with_usage_in_the_final_chunk() -> None:
    with StubServer([openai_stream(["The total ", "is 42000 EUR ", "[1]."], tokens_in=50, tokens_out=6)]).running() \
            as server:
        *deltas, last = list(model(server).stream(REQUEST))
    assert deltas == [CompletionDelta(text="The total "), CompletionDelta(text="is 42000 EUR "),
                      CompletionDelta(text="[1].")]
    assert last == Completion(text="The total is 42000 EUR [1].", tokens_in=50, tokens_out=6, model="gpt-4o-mini")
    body = server.requests[0].body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_a_stream_without_usage_is_estimated() -> None:
    with StubServer([openai_stream(["Forty-two."], usage=False)]).running() as server:
        *_, last = list(model(server).stream(REQUEST))
    assert last.tokens_in > 20 and last.tokens_out == 4


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_overload_and_server_errors_are_unavailable_and_not_retried_by_the_sdk(status: int) -> None:
    with StubServer([openai_error(status, headers={"retry-after": "3"}), openai_answer("late")]).running() as server:
        with pytest.raises(LanguageModelUnavailable) as caught:
            model(server).complete(REQUEST)
    assert caught.value.status == status and caught.value.retry_after == 3.0
    assert len(server.requests) == 1  # max_retries=0: retries belong to the fallback chain


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_the_callers_errors_are_rejected(status: int) -> None:
    with StubServer([openai_error(status, "Incorrect API key provided")]).running() as server:
        with pytest.raises(LanguageModelRejected) as caught:
            model(server).complete(REQUEST)
    assert caught.value.status == status and "Incorrect API key" in str(caught.value)


def test_a_timeout_is_unavailable() -> None:
    with StubServer([Reply(delay=2.0, body=b"{}")]).running() as server:
        with pytest.raises(LanguageModelUnavailable) as caught:
            model(server, timeout_seconds=0.3).complete(REQUEST)
    assert "Timeout" in str(caught.value)


def test_a_connection_error_is_unavailable() -> None:
    with StubServer([]).running() as server:
        url = server.url
    with pytest.raises(LanguageModelUnavailable):
        OpenAILanguageModel(api_key="k", base_url=url + "/v1", timeout_seconds=2).complete(REQUEST)


@pytest.mark.parametrize("body", [b"not json at all", b'{"choices": []}', b'{"id": "x"}'])
def test_a_malformed_body_is_unavailable(body: bytes) -> None:
    with StubServer([Reply(body=body)]).running() as server:
        with pytest.raises(LanguageModelUnavailable):
            model(server).complete(REQUEST)


def test_a_stream_that_fails_is_unavailable() -> None:
    with StubServer([openai_error(500)]).running() as server:
        with pytest.raises(LanguageModelUnavailable):
            list(model(server).stream(REQUEST))
