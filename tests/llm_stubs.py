"""Local HTTP servers that speak just enough of the Gemini and OpenAI wire formats for the real
SDKs to talk to them. Each server plays a script of replies, one per request, and records the
requests it received (path, headers, JSON body)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs

from adapters.llm.gemini import GeminiLanguageModel
from adapters.llm.openai_compatible import OpenAILanguageModel
from application.ports.language_model import AnswerRequest, Source
from application.prompts import SYSTEM_PROMPT


@attrs.define
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    delay: float = 0.0
    headers: dict[str, str] = attrs.Factory(dict)


@attrs.define
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class StubServer:
    def __init__(self, replies: list[Any], *, repeat_last: bool = False) -> None:
        self.replies, self.repeat_last = list(replies), repeat_last
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()

    def next_reply(self, body: Any = None) -> Reply:
        """The next scripted reply; a callable in the script is called with the request's JSON body."""
        with self._lock:
            if len(self.replies) > 1 or (self.replies and not self.repeat_last):
                reply = self.replies.pop(0)
            else:
                reply = self.replies[0] if self.replies else Reply(status=500, body=b'{"error": "script ended"}')
        return reply(body) if callable(reply) else reply

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[StubServer]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                stub.requests.append(Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()},
                                              body))
                reply = stub.next_reply(body)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", reply.content_type)
                    self.send_header("content-length", str(len(reply.body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()


def sse(*events: Any, done: bool = False) -> Reply:
    lines = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + ("data: [DONE]\n\n" if done else "")
    return Reply(body=lines.encode(), content_type="text/event-stream")


def json_reply(data: Any, status: int = 200, **kwargs: Any) -> Reply:
    return Reply(status=status, body=json.dumps(data).encode(), **kwargs)


# --- Gemini ------------------------------------------------------------------------------------

def gemini_response(text: str, *, tokens_in: int | None = 7, tokens_out: int | None = 3) -> dict[str, Any]:
    data: dict[str, Any] = {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                                            "finishReason": "STOP", "index": 0}],
                            "modelVersion": "gemini-test"}
    if tokens_in is not None:
        data["usageMetadata"] = {"promptTokenCount": tokens_in, "candidatesTokenCount": tokens_out,
                                 "totalTokenCount": tokens_in + (tokens_out or 0)}
    return data


def gemini_answer(text: str, **kwargs: Any) -> Reply:
    return json_reply(gemini_response(text, **kwargs))


def gemini_stream(pieces: list[str], *, tokens_in: int = 7, tokens_out: int = 3) -> Reply:
    events = [gemini_response(p, tokens_in=None) for p in pieces[:-1]]
    events.append(gemini_response(pieces[-1], tokens_in=tokens_in, tokens_out=tokens_out))
    return sse(*events)


def gemini_error(status: int, message: str = "error") -> Reply:
    names = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
             429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}
    return json_reply({"error": {"code": status, "message": message, "status": names.get(status, "UNKNOWN")}},
                      status=status)


# --- OpenAI ------------------------------------------------------------------------------------

def openai_response(text: str, *, model: str = "gpt-test", tokens_in: int = 11, tokens_out: int = 4) -> dict[str, Any]:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out,
                      "total_tokens": tokens_in + tokens_out}}


def openai_answer(text: str, **kwargs: Any) -> Reply:
    return json_reply(openai_response(text, **kwargs))


def openai_stream(pieces: list[str], *, tokens_in: int = 11, tokens_out: int = 4, usage: bool = True) -> Reply:
    base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "gpt-test"}
    events = [base | {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}]
    events += [base | {"choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]} for p in pieces]
    events.append(base | {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    if usage:
        events.append(base | {"choices": [], "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out,
                                                        "total_tokens": tokens_in + tokens_out}})
    return sse(*events, done=True)


def openai_error(status: int, message: str = "error", **kwargs: Any) -> Reply:
    return json_reply({"error": {"message": message, "type": "server_error" if status >= 500 else "invalid_request_error",
                                 "code": None}}, status=status, **kwargs)


def sample_request() -> AnswerRequest:
    """One question with one numbered source, as QueryDocument sends it to a model."""
    return AnswerRequest(system=SYSTEM_PROMPT, question="What is the total?",
                         sources=(Source(number=1, label="page 2", text="The total is 42000 EUR."),))


def gemini_model(server: StubServer, **kwargs: Any) -> GeminiLanguageModel:
    """The Gemini adapter (real google-genai SDK) talking to ``server``; api key "test-key"."""
    options = {"api_key": "test-key", "model": "gemini-2.5-flash", "base_url": server.url} | kwargs
    return GeminiLanguageModel(**options)


def openai_model(server: StubServer, **kwargs: Any) -> OpenAILanguageModel:
    """The OpenAI adapter (real openai SDK) talking to ``server``; api key "sk-test"."""
    options = {"api_key": "sk-test", "model": "gpt-4o-mini", "base_url": server.url + "/v1"} | kwargs
    return OpenAILanguageModel(**options)
