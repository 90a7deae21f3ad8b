"""A fake Telegram Bot API server on 127.0.0.1 (a threaded http.server) speaking the wire format PTB
uses: form-encoded bodies with JSON-encoded non-string fields (or JSON from plain HTTP clients),
``{"ok": true, "result": ...}`` answers, getFile and the file download path. Every call is recorded."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote

import attrs

BOT = {"id": 4242, "is_bot": True, "first_name": "Assistant", "username": "assistant_test_bot"}


@attrs.define
class Call:
    method: str
    params: dict[str, Any]
    at: float


@attrs.define
class FakeBotApi:
    token: str = "123456:TEST-token"
    calls: list[Call] = attrs.Factory(list)
    files: dict[str, bytes] = attrs.Factory(dict)  # file_id -> content
    fail_next: dict[str, int] = attrs.Factory(dict)  # method -> retry_after of one 429 answer
    updates: list[dict[str, Any]] = attrs.Factory(list)  # served by getUpdates (long polling)
    url: str = ""
    _ids: Iterator[int] = attrs.Factory(lambda: itertools.count(1000))
    _lock: threading.Lock = attrs.Factory(threading.Lock)

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def texts(self, *methods: str) -> list[str]:
        methods = methods or ("sendMessage", "editMessageText")
        with self._lock:
            return [str(c.params.get("text", "")) for c in self.calls if c.method in methods]

    def wait_for(self, predicate: Any, timeout: float = 60.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            texts = self.texts()
            if any(predicate(text) for text in texts):
                return texts
            time.sleep(0.05)
        raise AssertionError(f"no matching message within {timeout}s; sent: {self.texts()}")

    # --- the API -----------------------------------------------------------------------------

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append(Call(method, params, time.monotonic()))
            retry_after = self.fail_next.pop(method, None)
        if retry_after is not None:
            return 429, {"ok": False, "error_code": 429, "parameters": {"retry_after": retry_after},
                         "description": f"Too Many Requests: retry after {retry_after}"}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._updates(int(params.get("offset") or 0))}
        if method == "getMe":
            return 200, {"ok": True, "result": BOT}
        if method in {"sendMessage", "editMessageText", "editMessageReplyMarkup"}:
            return 200, {"ok": True, "result": self._message(params)}
        if method == "getFile":
            file_id = str(params["file_id"])
            if file_id not in self.files:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
            return 200, {"ok": True, "result": {"file_id": file_id, "file_unique_id": file_id[:8],
                                                "file_size": len(self.files[file_id]),
                                                "file_path": f"documents/{file_id}"}}
        return 200, {"ok": True, "result": True}  # setMyCommands, sendChatAction, answerCallbackQuery ...

    def _updates(self, offset: int) -> list[dict[str, Any]]:
        with self._lock:
            pending = [u for u in self.updates if u["update_id"] >= offset]
        if not pending:
            time.sleep(0.05)  # a short "long poll"
        return pending

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        message_id = params.get("message_id") or next(self._ids)
        return {"message_id": int(message_id), "date": int(time.time()), "from": BOT,
                "chat": {"id": int(params.get("chat_id", 0)), "type": "private"}, "text": params.get("text", "")}


def _decode_form(body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
        if isinstance(params[key], (int, float)) and key == "text":
            params[key] = value  # a text that looks like a number stays a string
    return params


def _handler(api: FakeBotApi) -> type[BaseHTTPRequestHandler]:
    bot_prefix, file_prefix = f"/bot{api.token}/", f"/file/bot{api.token}/"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            path = unquote(self.path)
            if path.startswith(file_prefix):
                file_id = path[len(file_prefix):].removeprefix("documents/")
                if file_id in api.files:
                    return self._send(200, api.files[file_id], "application/octet-stream")
            if path.startswith(bot_prefix):
                return self._api(path[len(bot_prefix):], {})
            self._refuse(path)

        def do_POST(self) -> None:
            path = unquote(self.path)
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            kind = self.headers.get("content-type", "")
            if not path.startswith(bot_prefix):
                return self._refuse(path)
            if kind.startswith("application/json"):
                params = json.loads(body or b"{}")
            elif kind.startswith("multipart/"):
                params = {"multipart": True, "body": body}  # sendDocument ...: the raw parts, to be searched
            else:
                params = _decode_form(body)
            self._api(path[len(bot_prefix):], params)

        def _refuse(self, path: str) -> None:
            """Another token: 401 as Telegram answers it (PTB raises InvalidToken); else 404."""
            if path.startswith("/bot"):
                body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
                return self._send(401, json.dumps(body).encode(), "application/json")
            self._send(404, b"not found", "text/plain")

        def _api(self, method: str, params: dict[str, Any]) -> None:
            status, payload = api.answer(method, params)
            self._send(status, json.dumps(payload).encode(), "application/json")

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def running_bot_api(port: int = 0) -> Iterator[FakeBotApi]:
    api = FakeBotApi()
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(api))
    server.daemon_threads = True
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
