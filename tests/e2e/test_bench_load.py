"""bench.load end to end, short: PostgreSQL + Redis + 2 API processes + 2 workers as subprocesses,
10 arrivals a second for 5 seconds. The run completes with no error and no document lost, prints
every field of its report, and leaves neither its database nor its Redis keys behind."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.load_traffic import MIX

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]


def _databases(server: str) -> set[str]:
    engine = create_engine(server)
    try:
        with engine.connect() as connection:
            return {r[0] for r in connection.execute(text("SELECT datname FROM pg_database"))}
    finally:
        engine.dispose()


def test_a_short_load_run_has_no_error_and_loses_no_document(make_postgres_database: Callable[[], str],
                                                              redis_server_url: str) -> None:
    server = make_url(make_postgres_database()).set(database="postgres").render_as_string(hide_password=False)
    run = subprocess.run([sys.executable, "-m", "bench.load", "--rate", "10", "--duration", "5", "--users", "3",
                          "--server", server, "--redis-url", redis_server_url],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    out = run.stdout
    assert run.returncode == 0, run.stderr[-3000:]
    arrivals = int(re.search(r"^arrivals: (\d+) over", out, re.M).group(1))
    assert arrivals == 50
    assert re.search(r"sent 50, shed 0; responses 50$", out, re.M)
    assert re.search(r"^throughput: [\d.]+ req/s achieved", out, re.M)
    for route in MIX:  # every route of the mix was measured: a count, p50 and p99
        assert re.search(rf"^{route} +\d+ +[\d.]+ +[\d.]+", out, re.M), route
    assert re.search(r"^errors: 0$", out, re.M), out
    assert re.search(r"^rate-limited \(429\): 0$", out, re.M)
    assert re.search(r"^documents lost: 0$", out, re.M), out
    uploads = re.search(r"^uploads accepted: (\d+); completed (\d+), failed with a reason 0", out, re.M)
    assert uploads and uploads.group(1) == uploads.group(2)
    cached = re.search(r"^POST cached question +(\d+) .* (\d+)$", out, re.M)
    assert cached and cached.group(1) == cached.group(2)  # every repeated question came from the answer cache
    for process in ("api-1", "api-2", "worker-1", "worker-2", "postgresql", "redis-server",
                    "load client (this process)", "machine, every process"):
        assert re.search(rf"^  {re.escape(process)} +[\d.]+ s ", out, re.M), process
    assert "targets: errors 0, documents lost 0, nothing shed: met" in out
    database, prefix = re.search(r"^database (\S+) and Redis keys (\S+)\* on ", out, re.M).groups()
    assert database not in _databases(server)  # dropped
    client = redis.Redis.from_url(redis_server_url)
    try:
        assert not list(client.scan_iter(f"{prefix}*", count=1000))  # deleted, RQ's own keys too
    finally:
        client.close()
