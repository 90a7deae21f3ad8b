"""The production split: ``assistant bot`` polls with the RQ queue on Redis, a separate ``assistant
worker --burst`` process reads the documents, and the worker's "ready" / "could not read" notices
reach each user's chat through the Bot API, in the user's language."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import redis

from tests.corpus import corpus_path
from tests.e2e.bot_api_server import FakeBotApi
from tests.e2e.conftest import ASSISTANT, clean_env, stop, wait_until

ANN, IVAN = 1001, 1002


def document_update(update_id: int, user: int, language: str, file_id: str, name: str, size: int) -> dict[str, Any]:
    person = {"id": user, "is_bot": False, "first_name": f"U{user}", "language_code": language}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "from": person, "chat": {"id": user, "type": "private"},
        "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": name,
                     "mime_type": "application/pdf", "file_size": size}}}


def sent_to(api: FakeBotApi, chat: int) -> list[str]:
    return [str(c.params["text"]) for c in api.of("sendMessage") if int(c.params.get("chat_id", 0)) == chat]


def test_the_ready_and_failed_notices_come_from_a_worker_process(api: FakeBotApi, tmp_path: Path,
                                                                  redis_server_url: str, redis_prefix: str) -> None:
    pdf = corpus_path("pdf/text/federal-register-2020-17221.pdf").read_bytes()
    locked = corpus_path("pdf/encrypted/password-example.pdf").read_bytes()
    api.files.update({"pdf-ann": pdf, "pdf-ivan": locked})
    api.updates += [document_update(1, ANN, "en", "pdf-ann", "federal-register.pdf", len(pdf)),
                    document_update(2, IVAN, "ru", "pdf-ivan", "secret.pdf", len(locked))]
    env = {**clean_env(tmp_path), "ASSISTANT_TELEGRAM_TOKEN": api.token, "ASSISTANT_TELEGRAM_API_BASE_URL": api.url,
           "ASSISTANT_QUEUE_BACKEND": "rq", "ASSISTANT_REDIS_URL": redis_server_url,
           "ASSISTANT_REDIS_PREFIX": redis_prefix}  # one SQLite file and folder: ASSISTANT_HOME
    bot = subprocess.Popen([str(ASSISTANT), "bot"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    try:
        api.wait_for(lambda text: text.startswith("⏳ Got <b>federal-register.pdf</b>"), timeout=60)
        api.wait_for(lambda text: text.startswith("⏳ Получил <b>secret.pdf</b>"), timeout=60)
        client = redis.Redis.from_url(redis_server_url)  # both wait in RQ's free-tier queue, for a worker
        assert wait_until(lambda: client.llen(f"rq:queue:{redis_prefix}low") == 2, 30)
        client.close()
        assert sent_to(api, ANN) == ["⏳ Processing <b>federal-register.pdf</b>…"]
        assert not [t for t in api.texts() if t.startswith(("✅", "❌"))]
        worker = subprocess.run([str(ASSISTANT), "worker", "--burst"], cwd=tmp_path, env=env, capture_output=True,
                                text=True, timeout=240)
        assert worker.returncode == 0, worker.stderr
        assert sent_to(api, ANN)[-1] == ("✅ <b>federal-register.pdf</b> is ready (15 pages). "
                                         "Ask me anything about it.")
        assert sent_to(api, IVAN)[-1] == ("❌ Не удалось прочитать <b>secret.pdf</b>: Файл защищён паролем. "
                                          "Загрузите его через веб/API вместе с паролем.\n"
                                          "Пришлите другой документ (или выберите его в /mydocs).")
    finally:
        err = stop(bot)
    assert "Traceback" not in err, err
