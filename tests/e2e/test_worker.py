"""``assistant worker`` end to end on PostgreSQL + Redis: uploads from the CLI processed by a
worker process, a worker killed with SIGKILL mid-job (its liveness key expires and the sweeper of
another worker completes the document exactly once, without waiting for the job's time limit),
and Redis stopped and restarted (nothing lost; clear errors meanwhile)."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from datetime import datetime, timedelta
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from adapters.persistence.migrate import upgrade
from tests.e2e.conftest import ASSISTANT, Cli, clean_env, stop, wait_until

pytestmark = pytest.mark.postgres


@pytest.fixture
def production(tmp_path: Path, make_postgres_database: Callable[[], str], redis_server_url: str,
               redis_prefix: str) -> Cli:
    url = make_postgres_database()
    upgrade(url)
    env = {**clean_env(tmp_path), "ASSISTANT_DATABASE_URL": url, "ASSISTANT_REDIS_URL": redis_server_url,
           "ASSISTANT_REDIS_PREFIX": redis_prefix, "ASSISTANT_SWEEP_INTERVAL_SECONDS": "0.5",
           "ASSISTANT_RECOVER_AFTER_SECONDS": "3", "ASSISTANT_JOB_RETRY_DELAY": "0"}
    return Cli(home=tmp_path, env=env)


def _query(cli: Cli, sql: str, **params: object) -> list[tuple]:
    engine = create_engine(cli.env["ASSISTANT_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def _status(cli: Cli, document_id: str) -> str:
    return _query(cli, "SELECT status FROM documents WHERE id = :id", id=document_id)[0][0]


def _queued(cli: Cli) -> int:
    """Jobs waiting in the free tier's queue (RQ's list of job ids)."""
    client = redis.Redis.from_url(cli.env["ASSISTANT_REDIS_URL"])
    try:
        return client.llen(f"rq:queue:{cli.env['ASSISTANT_REDIS_PREFIX']}low")
    finally:
        client.close()


def _ingest(cli: Cli, path: Path) -> str:
    run = cli("ingest", str(path), "--no-wait", "--json")
    assert run.code == 0, run.err
    return run.json()[0]["id"]


def _worker(cli: Cli, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(ASSISTANT), "worker", *args], cwd=cli.home, env=cli.env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_worker_processes_uploads_from_the_cli(production: Cli, notes: Path) -> None:
    document_id = _ingest(production, notes)
    assert _status(production, document_id) == "pending"
    recovered = production("recover", "--older-than", "0", "--json")
    assert recovered.code == 0 and [d["id"] for d in recovered.json()] == [document_id]  # its job still waits
    worker = production("worker", "--burst")
    assert worker.code == 0, worker.err
    assert _status(production, document_id) == "completed"
    answer = production("ask", document_id, "When are invoices payable?", "--json")
    assert answer.code == 0 and "30 days" in answer.json()["answer"]
    answered = datetime.fromisoformat(answer.json()["created_at"])
    minute = next(w for w in production("usage", "--json").json()["windows"] if w["window"] == "minute")
    turned_over = datetime.fromisoformat(minute["reset_at"]) - timedelta(minutes=1) > answered  # fixed windows
    assert minute["used"] == (0 if turned_over else 1)  # counted in Redis
    assert production("worker", "--queues", "urgent").code == 10
    assert _query(production, "SELECT count(*) FROM analytics_events WHERE type = 'document_processed'") == [(1,)]


def test_a_worker_killed_mid_job_is_recovered_by_the_sweeper_exactly_once(production: Cli, tmp_path: Path) -> None:
    rng = random.Random(5)
    words = "invoice payment terms delivery office contract party notice days fee".split()
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join(" ".join(rng.choice(words) for _ in range(25)) + "." for _ in range(90000)))
    # ~16 MB of text: several seconds of work. The tier's job time limit is far beyond the waits
    # below: the recovery cannot come from it
    production.env["ASSISTANT_TIERS"] = '{"free": {"job_timeout_seconds": 3600, "max_characters": 20000000}}'
    document_id = _ingest(production, big)
    first = _worker(production)
    try:
        assert wait_until(lambda: _status(production, document_id) == "processing", 60)
        # a slow job of a live worker is left alone, however old: no second job is queued
        assert production("recover", "--older-than", "0").code == 0
        assert _queued(production) == 0
        assert _status(production, document_id) == "processing"  # still at work: the kill lands mid-job
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert _status(production, document_id) == "processing"  # its job died with the worker
    second = _worker(production)
    try:
        # the dead worker's liveness key expires (20 s) and a sweep of the second worker queues the
        # document again: long before the hour of the job's time limit
        assert wait_until(lambda: _status(production, document_id) == "completed", 120)
    finally:
        stop(second, signal.SIGTERM)
    chunks, ordinals = _query(production, "SELECT count(*), count(DISTINCT ordinal) FROM chunks "
                                          "WHERE document_id = :id", id=document_id)[0]
    assert chunks == ordinals > 100
    events = _query(production, "SELECT count(*) FROM analytics_events WHERE type = 'document_processed'")
    assert events == [(1,)]


def test_redis_stopped_and_restarted_loses_nothing(production: Cli, own_redis, notes: Path,
                                                   tmp_path: Path) -> None:
    server = own_redis()
    production.env["ASSISTANT_REDIS_URL"] = server.url
    production.env["ASSISTANT_RECOVER_AFTER_SECONDS"] = "1"
    answered = _ingest(production, notes)
    assert production("worker", "--burst").code == 0
    queued = tmp_path / "queued.md"
    queued.write_text("# Queued\n\nEnqueued just before Redis stopped.\n")
    queued_id = _ingest(production, queued)  # its job is lost with Redis (no persistence)
    server.stop()
    during = tmp_path / "during.md"
    during.write_text("# During\n\nUploaded while Redis was down.\n")
    during_id = _ingest(production, during)  # recorded, left pending
    ask = production("ask", answered, "When are invoices payable?")
    assert ask.code == 75 and "temporarily unavailable" in ask.err and "Traceback" not in ask.err
    assert production("usage").code == 75
    assert {_status(production, d) for d in (queued_id, during_id)} == {"pending"}
    worker = _worker(production)  # starts while Redis is down: it must wait and reconnect
    try:
        time.sleep(3)
        assert worker.poll() is None
        server.start()
        assert wait_until(lambda: {_status(production, d) for d in (queued_id, during_id)} == {"completed"}, 90)
    finally:
        stop(worker, signal.SIGTERM)
    assert production("ask", answered, "When are invoices payable?").code == 0
