"""The workers' Telegram notices count the Bot API errors they meet, in the same family as the bot's
(assistant_telegram_api_errors_total): the notifier the container builds, against the fake Bot API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prometheus_client import REGISTRY

from adapters.metrics.telegram import kind_of_status
from config.bootstrap import build_container
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.users import User
from tests.e2e.bot_api_server import FakeBotApi

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def errors(kind: str) -> float:
    return REGISTRY.get_sample_value("assistant_telegram_api_errors_total", {"error": kind}) or 0.0


def completed_pdfs() -> float:
    return REGISTRY.get_sample_value("assistant_documents_processed_total", {"kind": "pdf", "status": "completed"}) or 0.0


def test_a_notice_meeting_flood_control_is_counted_and_still_delivered(tmp_path: Path, api: FakeBotApi) -> None:
    container = build_container(home=tmp_path / "var", telegram_token=api.token, telegram_api_base_url=api.url,
                                log_level="WARNING")
    user = User(telegram_id=31337, created_at=NOW, updated_at=NOW)
    document = Document(owner_id=user.id, filename="q3.pdf", kind=DocumentKind.PDF, size=1, sha256="0",
                        storage_key="k", created_at=NOW, updated_at=NOW, status=DocumentStatus.COMPLETED)
    before, processed = errors("retry_after"), completed_pdfs()
    api.fail_next["sendMessage"] = 0  # one 429 with retry_after 0, then the retry succeeds
    container.notifier().document_completed(user, document)
    assert errors("retry_after") == before + 1
    assert [c.params["text"] for c in api.of("sendMessage")] == [
        "✅ <b>q3.pdf</b> is ready. Ask me anything about it."] * 2  # refused once, then delivered
    assert completed_pdfs() == processed + 1


def test_statuses_map_to_a_bounded_set_of_kinds() -> None:
    assert [kind_of_status(s) for s in (400, 401, 403, 409, 429, 500, 502, 418)] == [
        "bad_request", "invalid_token", "forbidden", "conflict", "retry_after", "server_error", "server_error",
        "other"]
