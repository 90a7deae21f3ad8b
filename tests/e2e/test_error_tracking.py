"""Error tracking end to end: the real sentry-sdk, configured by ASSISTANT_SENTRY_DSN, sends to a local
server speaking Sentry's envelope protocol (tests/sentry_server.py). An unhandled error in an API
request, in a bot handler and in an RQ job (a real `assistant worker` process) arrives with the ids
of what failed, and none of the passwords, tokens, API keys, questions or document text around it."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from dependency_injector import providers
from fastapi.testclient import TestClient
from rq import Queue

from config.bootstrap import build_container
from entrypoints.api.app import create_app
from tests.e2e.bot_api_server import FakeBotApi
from tests.e2e.bot_harness import BotHarness, Person
from tests.e2e.conftest import ASSISTANT, clean_env
from tests.sentry_server import SentryServer, running_sentry

PASSWORD, NEW_PASSWORD = "Tr0ub4dor&3-horse", "correct-horse-battery-staple-9"
QUESTION = "What did the quarterly ledger say about the Zanzibar acquisition?"
DOCUMENT_TEXT = "Confidential: the Zanzibar acquisition closes at 4.2 million."


class Exploding:
    """Stands for a use case that fails unexpectedly (a bug), whatever method is called."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(self.message)

    def __getattr__(self, name: str) -> Any:
        return self


@pytest.fixture
def sentry() -> Iterator[SentryServer]:
    import sentry_sdk

    with running_sentry() as server:
        yield server
        sentry_sdk.flush(timeout=5)
        scope = sentry_sdk.get_global_scope()
        scope.client.close()
        scope.set_client(None)  # the rest of the test session runs without error tracking


def _without(raw: bytes, *secrets: str) -> None:
    for secret in secrets:
        assert secret.encode() not in raw, f"{secret!r} reached Sentry"


def test_an_unhandled_error_in_a_request_arrives_with_its_request_and_user_ids(tmp_path: Path,
                                                                                 sentry: SentryServer) -> None:
    container = build_container(home=tmp_path / "var", sentry_dsn=sentry.dsn, sentry_environment="staging",
                                sentry_release="assistant@test", log_level="WARNING")
    container.thread_questions.override(providers.Object(Exploding("thread store exploded")))
    container.change_password.override(providers.Object(Exploding("password store exploded")))
    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        assert client.post("/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD}
                           ).status_code == 201
        tokens = client.post("/api/v1/auth/login", json={"email": "ann@example.com", "password": PASSWORD}).json()
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        key = client.post("/api/v1/api-keys", json={"name": "ci"}, headers=bearer).json()["key"]
        user_id = client.get("/api/v1/users/me", headers=bearer).json()["id"]
        thread = client.post("/api/v1/threads", json={"whole_library": True}, headers={"X-API-Key": key}).json()

        asked = client.post(f"/api/v1/threads/{thread['id']}/messages", json={"question": QUESTION},
                            headers={"X-API-Key": key, "X-Request-ID": "req-ask-1"})
        changed = client.post("/api/v1/auth/password", headers={**bearer, "X-Request-ID": "req-pw-2"},
                              json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert asked.status_code == changed.status_code == 500
    assert asked.json()["code"] == "internal_error" and "exploded" not in asked.text  # the user sees no internals

    ask = sentry.wait_for_event(lambda e: e.get("tags", {}).get("request_id") == "req-ask-1")
    change = sentry.wait_for_event(lambda e: e.get("tags", {}).get("request_id") == "req-pw-2")
    for event, message in ((ask, "thread store exploded"), (change, "password store exploded")):
        assert event["exception"]["values"][-1]["value"] == message
        assert event["user"]["id"] == user_id and event["tags"]["user_id"] == user_id
        assert event["tags"]["component"] == "api"
        assert event["environment"] == "staging" and event["release"] == "assistant@test"
        assert all("vars" not in frame for value in event["exception"]["values"]
                   for frame in value["stacktrace"]["frames"])
    _without(sentry.raw(), PASSWORD, NEW_PASSWORD, QUESTION, key, key[3:], tokens["access_token"],
             tokens["refresh_token"])


def test_an_unhandled_error_in_a_bot_handler_arrives_with_the_user_id(tmp_path: Path, api: FakeBotApi,
                                                                      sentry: SentryServer) -> None:
    harness = BotHarness.create(api, tmp_path, sentry_dsn=sentry.dsn)
    harness.container.ensure_user.override(providers.Object(Exploding("bot store exploded")))

    async def scenario() -> None:
        async with harness:
            await harness.send(Person(id=777001), QUESTION)

    asyncio.run(scenario())
    event = sentry.wait_for_event(lambda e: e.get("tags", {}).get("user_id") == "777001")
    assert event["exception"]["values"][-1]["value"] == "bot store exploded"
    assert event["user"]["id"] == "777001" and "update_id" in event["tags"]
    assert any(t.startswith("Sorry") or "went wrong" in t for t in api.texts()), api.texts()  # the apology
    _without(sentry.raw(), QUESTION, api.token, api.token.split(":")[-1])


def test_an_unhandled_error_in_a_job_arrives_with_its_job_id(tmp_path: Path, sentry: SentryServer,
                                                             redis_server_url: str, redis_prefix: str) -> None:
    """A job whose argument is not a document id (a bug in whatever queued it) fails in a real worker."""
    argument = f"ak_{uuid.uuid4().hex}{uuid.uuid4().hex[:8]} {DOCUMENT_TEXT}"
    connection = redis.Redis.from_url(redis_server_url)
    job = Queue(f"{redis_prefix}low", connection=connection).enqueue(
        "entrypoints.worker.jobs.process_document", argument, description=f"process {argument}")
    env = {**clean_env(tmp_path), "ASSISTANT_QUEUE_BACKEND": "rq", "ASSISTANT_REDIS_URL": redis_server_url,
           "ASSISTANT_REDIS_PREFIX": redis_prefix, "ASSISTANT_SENTRY_DSN": sentry.dsn,
           "ASSISTANT_EMBEDDING_BACKEND": "none"}
    worker = subprocess.run([str(ASSISTANT), "worker", "--burst", "--queues", "low"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    connection.delete(f"rq:job:{job.id}")
    connection.close()
    assert worker.returncode == 0, worker.stderr
    event = sentry.wait_for_event(lambda e: e.get("tags", {}).get("job_id") == job.id)
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert event["tags"]["component"] == "worker"
    assert event["extra"]["rq-job"] == {"job_id": job.id, "func": "entrypoints.worker.jobs.process_document"}
    _without(sentry.raw(), argument[:20], DOCUMENT_TEXT, "Zanzibar")


def test_a_job_failing_after_reading_its_argument_arrives_with_the_document_id(
        isolated_settings: Path, monkeypatch: pytest.MonkeyPatch, sentry: SentryServer, redis_server_url: str,
        redis_prefix: str) -> None:
    """The worker's job function and RQ's SimpleWorker in this process (the container built as
    `assistant worker` builds it), with processing that fails unexpectedly: the report has the job
    and the document."""
    from entrypoints.worker import jobs

    for name, setting in {"HOME": str(isolated_settings / "var"), "QUEUE_BACKEND": "rq", "REDIS_URL": redis_server_url,
                          "REDIS_PREFIX": redis_prefix, "SENTRY_DSN": sentry.dsn, "EMBEDDING_BACKEND": "none",
                          "LOG_LEVEL": "WARNING"}.items():
        monkeypatch.setenv(f"ASSISTANT_{name}", setting)
    jobs.container.cache_clear()
    container = jobs.container()
    try:
        container.process_document.override(providers.Object(Exploding(f"extractor exploded on {DOCUMENT_TEXT}")))
        document_id = str(uuid.uuid4())
        connection = redis.Redis.from_url(redis_server_url)
        job = Queue(f"{redis_prefix}low", connection=connection).enqueue(
            "entrypoints.worker.jobs.process_document", document_id)
        container.worker_runner().run(["low"], burst=True)
        connection.delete(f"rq:job:{job.id}")
        connection.close()
        event = sentry.wait_for_event(lambda e: e.get("tags", {}).get("job_id") == job.id)
        assert event["tags"]["document_id"] == document_id
        assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    finally:
        jobs.container.cache_clear()
        container.engine().dispose()
