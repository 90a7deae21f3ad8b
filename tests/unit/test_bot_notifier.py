"""TelegramNotifier: one sendMessage per notification in the user's language; retries; falls back
to logging for users without a Telegram id; never raises."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx

from adapters.notify.telegram import TelegramNotifier
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.users import User

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def make(handler, sleeps: list[float] | None = None) -> TelegramNotifier:  # type: ignore[no-untyped-def]
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return TelegramNotifier(token="1:T", base_url="http://bot.test/", client=client,
                            sleep=(sleeps if sleeps is not None else []).append)


def document(**fields: object) -> Document:
    return Document(owner_id=User(created_at=NOW, updated_at=NOW).id, filename="a<b>.pdf", kind=DocumentKind.PDF,
                    size=1, sha256="0", storage_key="k", created_at=NOW, updated_at=NOW, **fields)


def test_completed_goes_to_the_chat_in_the_users_language_escaped() -> None:
    seen: list[httpx.Request] = []
    notifier = make(lambda r: seen.append(r) or httpx.Response(200, json={"ok": True, "result": {}}))
    user = User(telegram_id=77, language="ru", created_at=NOW, updated_at=NOW)
    notifier.document_completed(user, document(status=DocumentStatus.COMPLETED, page_count=3))
    [request] = seen
    assert str(request.url) == "http://bot.test/bot1:T/sendMessage"
    body = json.loads(request.content)
    assert body == {"chat_id": 77, "parse_mode": "HTML",
                    "text": "✅ <b>a&lt;b&gt;.pdf</b> готов (страниц: 3). Задайте вопрос по документу."}


def test_failed_names_the_reason_and_server_errors_and_429_are_retried() -> None:
    answers = [httpx.Response(500), httpx.Response(429, json={"ok": False, "parameters": {"retry_after": 3}}),
               httpx.Response(200, json={"ok": True})]
    seen: list[httpx.Request] = []
    sleeps: list[float] = []
    notifier = make(lambda r: seen.append(r) or answers.pop(0), sleeps)
    user = User(telegram_id=5, created_at=NOW, updated_at=NOW)
    notifier.document_failed(user, document(status=DocumentStatus.FAILED, error_message="No text."))
    assert len(seen) == 3 and sleeps == [3.0]
    assert json.loads(seen[-1].content)["text"] == ("❌ I could not read <b>a&lt;b&gt;.pdf</b>: No text.\n"
                                                    "Send another document to ask about (or choose one with /mydocs).")


def test_a_failure_notice_names_the_document_questions_still_go_to() -> None:
    seen: list[httpx.Request] = []
    notifier = make(lambda r: seen.append(r) or httpx.Response(200, json={"ok": True}), [])
    user = User(telegram_id=5, created_at=NOW, updated_at=NOW, language="ru")
    earlier = document(status=DocumentStatus.COMPLETED)
    notifier.document_failed(user, document(status=DocumentStatus.FAILED, error_message="Нет текста."), active=earlier)
    assert json.loads(seen[-1].content)["text"].endswith(
        f"\nВопросы по-прежнему идут к документу <b>{earlier.filename.replace('<', '&lt;').replace('>', '&gt;')}</b>.")


def test_users_without_telegram_are_logged_and_network_errors_never_raise() -> None:
    calls: list[httpx.Request] = []

    def broken(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("down")

    notifier = make(broken)
    notifier.document_completed(User(email="a@b.c", created_at=NOW, updated_at=NOW), document())
    assert calls == []
    notifier.document_completed(User(telegram_id=1, created_at=NOW, updated_at=NOW), document())
    assert len(calls) == 3


def test_a_failure_is_explained_by_its_error_code_in_the_users_language() -> None:
    seen: list[httpx.Request] = []
    notifier = make(lambda r: seen.append(r) or httpx.Response(200, json={"ok": True}))
    ivan = User(telegram_id=8, language="ru", created_at=NOW, updated_at=NOW)
    ann = User(telegram_id=9, language="en", created_at=NOW, updated_at=NOW)
    failed = DocumentStatus.FAILED
    notifier.document_failed(ivan, document(status=failed, error_code="password_required", error_message="Locked."))
    notifier.document_failed(ivan, document(status=failed, error_code="file_corrupt", error_message="Broken."))
    notifier.document_failed(ann, document(status=failed, error_code="file_corrupt", error_message="Broken."))
    notifier.document_failed(ivan, document(status=failed, error_code="file_too_large", error_message="Over 5 MB."))
    notifier.document_failed(ivan, document(status=failed, error_code=None, error_message=None))
    texts = [json.loads(request.content)["text"].split("\n")[0] for request in seen]  # the reason's line
    assert texts == [
        "❌ Не удалось прочитать <b>a&lt;b&gt;.pdf</b>: Файл защищён паролем. Загрузите его через веб/API вместе с "
        "паролем.",
        "❌ Не удалось прочитать <b>a&lt;b&gt;.pdf</b>: Файл повреждён, открыть его не получается.",
        "❌ I could not read <b>a&lt;b&gt;.pdf</b>: The file seems damaged; I cannot open it.",
        "❌ Не удалось прочитать <b>a&lt;b&gt;.pdf</b>: Over 5 MB.",  # a template missing its {limit_mb}
        "❌ Не удалось прочитать <b>a&lt;b&gt;.pdf</b>: Обработка не удалась. Попробуйте позже.",
    ]
