"""Google Gemini through google-genai (the successor of the end-of-life google-generativeai).

Retries are left to adapters.llm.fallback (one policy for every provider), so the SDK is told
explicitly to try once (``HttpRetryOptions(attempts=1)``). The base URL and API version come from
configuration, so the same adapter talks to Google or to any server speaking the Gemini API.
Every vendor error is translated: 429/5xx/timeouts/connection/malformed replies ->
LanguageModelUnavailable; other 4xx -> LanguageModelRejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from application.ports.language_model import (
    AnswerRequest,
    Completion,
    CompletionDelta,
    LanguageModelRejected,
    LanguageModelUnavailable,
)
from application.prompts import render_user_message

if TYPE_CHECKING:  # the SDK (about 0.5 s to import) loads when the adapter is built, not at start-up
    from google.genai import types


class GeminiLanguageModel:
    """Implements application.ports.language_model.LanguageModel."""

    def __init__(self, *, api_key: str, model: str = "gemini-2.5-flash", base_url: str | None = None,
                 api_version: str = "v1beta", timeout_seconds: float = 60.0, temperature: float = 0.2,
                 max_output_tokens: int = 2048) -> None:
        from google import genai
        from google.genai import types

        self.name = model
        self._types = types
        self._config = types.GenerateContentConfig(  # no tools: automatic function calling stays off
            temperature=temperature, max_output_tokens=max_output_tokens,
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True))
        self._client = genai.Client(api_key=api_key, http_options=types.HttpOptions(
            base_url=base_url or None, api_version=api_version, timeout=int(timeout_seconds * 1000),
            retry_options=types.HttpRetryOptions(attempts=1)))

    def complete(self, request: AnswerRequest) -> Completion:
        try:
            response = self._client.models.generate_content(
                model=self.name, contents=self._contents(request), config=self._with_system(request))
            text = _text(response)
            usage = response.usage_metadata
        except Exception as error:  # noqa: BLE001 - every vendor failure is translated
            raise self._translate(error) from error
        return Completion(text=text, tokens_in=_count(usage, "prompt_token_count"),
                          tokens_out=_output_tokens(usage), model=self.name)

    def stream(self, request: AnswerRequest) -> Iterator[CompletionDelta | Completion]:
        pieces: list[str] = []
        usage = None
        try:
            for chunk in self._client.models.generate_content_stream(
                    model=self.name, contents=self._contents(request), config=self._with_system(request)):
                usage = chunk.usage_metadata or usage
                piece = _text(chunk, allow_empty=True)
                if piece:
                    pieces.append(piece)
                    yield CompletionDelta(text=piece)
        except Exception as error:  # noqa: BLE001
            raise self._translate(error) from error
        if not pieces:
            raise LanguageModelUnavailable("Gemini streamed no text", model=self.name)
        yield Completion(text="".join(pieces), tokens_in=_count(usage, "prompt_token_count"),
                         tokens_out=_output_tokens(usage), model=self.name)

    def _contents(self, request: AnswerRequest) -> list[types.Content]:
        message = render_user_message(request.question, request.sources, request.history)
        types = self._types
        return [types.Content(role="user", parts=[types.Part(text=message)])]

    def _with_system(self, request: AnswerRequest) -> types.GenerateContentConfig:
        return self._config.model_copy(update={"system_instruction": request.system})

    def _translate(self, error: Exception) -> Exception:
        if isinstance(error, (LanguageModelUnavailable, LanguageModelRejected)):
            return error
        from google.genai import errors

        if isinstance(error, errors.APIError):
            code = int(error.code or 0)
            message = f"Gemini {self.name}: HTTP {code}: {error.message or error.status or ''}".strip()
            if code == 429 or code >= 500 or code in (408, 0):
                return LanguageModelUnavailable(message, model=self.name, status=code)
            return LanguageModelRejected(message, model=self.name, status=code)
        return LanguageModelUnavailable(f"Gemini {self.name}: {type(error).__name__}: {error}", model=self.name)


def _text(response: types.GenerateContentResponse, *, allow_empty: bool = False) -> str:
    parts = [part.text for c in (response.candidates or [])[:1] for part in ((c.content and c.content.parts) or [])
             if part.text and not part.thought]
    if not parts and not allow_empty:
        raise LanguageModelUnavailable("Gemini replied without text")
    return "".join(parts)


def _count(usage: types.GenerateContentResponseUsageMetadata | None, field: str) -> int:
    return int(getattr(usage, field, None) or 0) if usage is not None else 0


def _output_tokens(usage: types.GenerateContentResponseUsageMetadata | None) -> int:
    """Answer tokens plus thinking tokens: both are billed as output."""
    return _count(usage, "candidates_token_count") + _count(usage, "thoughts_token_count")
