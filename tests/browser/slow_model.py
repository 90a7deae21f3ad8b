"""A local server speaking OpenAI's streamed chat completions, slowly: it answers each question
with the first sentence of its first numbered source, word by word, a pause between words, and
cites it as [1]. The offline engine streams every word of an answer in one burst (a page sees one
change), so a test that must watch an answer arrive in pieces points the API at this server
(ASSISTANT_LLM_BACKEND=openai, ASSISTANT_OPENAI_BASE_URL=<url>/v1)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAUSE = 0.12  # seconds between words: several paint frames apart, so each word is its own change
_SOURCE = re.compile(r"\[1\] \([^)\n]*\)\n(.+?)(?:\n\n\[\d+\] \(|\Z)", re.S)


def answer_for(prompt: str) -> str:
    """The first sentence (at most 24 words) of source [1], cited; a fixed sentence without one."""
    found = _SOURCE.search(prompt)
    if not found:
        return "The sources do not say."
    text = " ".join(found.group(1).split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    words = sentence.split()[:24]
    return " ".join(words).rstrip(".") + " [1]."


def _chunk(content: str | None, finish: str | None = None) -> bytes:
    delta = {"content": content} if content is not None else {}
    body = {"id": "chatcmpl-slow", "object": "chat.completion.chunk", "created": 1700000000, "model": "slow-test",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n".encode()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        request = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
        prompt = "\n".join(str(m.get("content", "")) for m in request.get("messages", []) if m.get("role") == "user")
        self.server.prompts.append(prompt)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("connection", "close")
        self.end_headers()
        try:
            for piece in re.findall(r"\S+\s*", answer_for(prompt)):
                self.wfile.write(_chunk(piece))
                self.wfile.flush()
                time.sleep(PAUSE)
            self.wfile.write(_chunk(None, "stop") + b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def slow_model() -> Iterator[ThreadingHTTPServer]:
    """The server, running; ``.prompts`` records what it was asked, ``server_address`` its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.prompts = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def base_url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v1"
