"""OpenAI chat completions, and any server speaking the same API through ``base_url``
(Ollama, vLLM, llama.cpp server, hosted compatible APIs).

Retries are left to adapters.llm.fallback, so the SDK is told explicitly not to retry
(``max_retries=0``; its default of 2 would multiply with ours). Vendor errors are translated:
429/5xx/timeouts/connection/malformed replies -> LanguageModelUnavailable; other 4xx ->
LanguageModelRejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from application.ports.language_model import (
    AnswerRequest,
    Completion,
    CompletionDelta,
    LanguageModelRejected,
    LanguageModelUnavailable,
)
from application.prompts import render_user_message
from domain.text import count_tokens

if TYPE_CHECKING:  # the SDK (about 0.3 s to import) loads when the adapter is built, not at start-up
    import openai


class OpenAILanguageModel:
    """Implements application.ports.language_model.LanguageModel."""

    def __init__(self, *, api_key: str | None, model: str = "gpt-4o-mini", base_url: str | None = None,
                 timeout_seconds: float = 60.0, temperature: float = 0.2, max_output_tokens: int = 2048) -> None:
        self.name = model
        self._options = {"temperature": temperature, "max_tokens": max_output_tokens}
        # a local server needs no key, but the SDK insists on one
        import openai

        self._client = openai.OpenAI(api_key=api_key or "unused", base_url=base_url or None,
                                     timeout=timeout_seconds, max_retries=0)

    def complete(self, request: AnswerRequest) -> Completion:
        try:
            response = self._client.chat.completions.create(
                model=self.name, messages=_messages(request), **self._options)
            text = response.choices[0].message.content if response.choices else None
            if not text:
                raise LanguageModelUnavailable(f"OpenAI {self.name}: reply without text", model=self.name)
            usage = response.usage
        except Exception as error:  # noqa: BLE001 - every vendor failure is translated
            raise self._translate(error) from error
        return Completion(text=text, model=self.name,
                          tokens_in=usage.prompt_tokens if usage else count_tokens(_prompt_text(request)),
                          tokens_out=usage.completion_tokens if usage else count_tokens(text))

    def stream(self, request: AnswerRequest) -> Iterator[CompletionDelta | Completion]:
        pieces: list[str] = []
        usage = None
        try:
            chunks = self._client.chat.completions.create(
                model=self.name, messages=_messages(request), stream=True,
                stream_options={"include_usage": True}, **self._options)
            for chunk in chunks:
                usage = chunk.usage or usage
                for choice in chunk.choices or []:
                    piece = choice.delta.content if choice.delta else None
                    if piece:
                        pieces.append(piece)
                        yield CompletionDelta(text=piece)
        except Exception as error:  # noqa: BLE001
            raise self._translate(error) from error
        if not pieces:
            raise LanguageModelUnavailable(f"OpenAI {self.name}: streamed no text", model=self.name)
        text = "".join(pieces)
        # servers that ignore include_usage: estimate rather than report zero
        yield Completion(text=text, model=self.name,
                         tokens_in=usage.prompt_tokens if usage else count_tokens(_prompt_text(request)),
                         tokens_out=usage.completion_tokens if usage else count_tokens(text))

    def _translate(self, error: Exception) -> Exception:
        if isinstance(error, (LanguageModelUnavailable, LanguageModelRejected)):
            return error
        import openai

        if isinstance(error, openai.APIStatusError):
            code = error.status_code
            message = f"OpenAI {self.name}: HTTP {code}: {error.message}"
            if code in (408, 409, 429) or code >= 500:
                return LanguageModelUnavailable(message, model=self.name, status=code,
                                                retry_after=_retry_after(error.response.headers))
            return LanguageModelRejected(message, model=self.name, status=code)
        # APITimeoutError, APIConnectionError, APIResponseValidationError, JSON decoding errors...
        return LanguageModelUnavailable(f"OpenAI {self.name}: {type(error).__name__}: {error}", model=self.name)


def _messages(request: AnswerRequest) -> list[dict[str, Any]]:
    return [{"role": "system", "content": request.system},
            {"role": "user", "content": render_user_message(request.question, request.sources, request.history)}]


def _prompt_text(request: AnswerRequest) -> str:
    return request.system + "\n" + render_user_message(request.question, request.sources, request.history)


def _retry_after(headers: Any) -> float | None:
    try:
        value = float(headers.get("retry-after"))
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= 600 else None
