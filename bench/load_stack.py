"""The deployment bench.load runs against: a PostgreSQL database and a Redis prefix of its own, N
`assistant serve` API processes (one port each) and M `assistant worker` processes, all real
subprocesses started with the commands and environment variables an operator uses, and the CPU
figures of each process (Linux /proc).

Everything is removed at the end: the processes are stopped (SIGTERM), the database is dropped and
every Redis key of the run is deleted (our keys under ASSISTANT_REDIS_PREFIX, RQ's own under
RQ_KEY_PREFIX, both starting with the run's prefix).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx
import redis
from sqlalchemy.engine import make_url

from bench.api import cpu_seconds
from bench.question_speed import postgres_database
from bench.scale import postgres_cpu
from tests.e2e.api_server import free_port, healthy

ASSISTANT = Path(sys.executable).with_name("assistant")


@attrs.define
class Process:
    """One subprocess of the deployment and the log its stderr goes to."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def cpu(self) -> float:
        return cpu_seconds(self.popen.pid) or 0.0


@attrs.define
class Stack:
    """The running deployment: where each API answers, its processes, and the database's name."""

    env: dict[str, str]
    home: Path
    database_url: str
    redis_url: str
    prefix: str
    api_urls: list[str]
    apis: list[Process]
    workers: list[Process]

    @property
    def database(self) -> str:
        return make_url(self.database_url).database

    def cli(self, *args: str) -> str:
        """An `assistant` command as an operator runs it, with the deployment's environment."""
        done = subprocess.run([str(ASSISTANT), *args], env=self.env, cwd=self.home, capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            raise SystemExit(f"assistant {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    def processes(self) -> list[Process]:
        return [*self.apis, *self.workers]

    def dead(self) -> list[str]:
        """The processes that have exited (a crash under load is a finding, not a detail)."""
        return [f"{p.name} (exit {p.popen.returncode})" for p in self.processes() if p.popen.poll() is not None]

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far of each process, PostgreSQL's backends of this database, and Redis."""
        figures = {p.name: p.cpu() for p in self.processes()}
        figures["postgresql"] = postgres_cpu(self.database)
        figures["redis-server"] = redis_cpu()
        return figures


def redis_cpu() -> float:
    """CPU seconds of the redis-server processes on this machine (shared with anything else using it)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "redis-server":
                continue
            total += cpu_seconds(int(entry.name)) or 0.0
        except OSError:
            continue
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (/proc/stat), every core summed."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields[:8]) - idle) / tick, sum(fields[:8]) / tick


def environment(home: Path, database_url: str, redis_url: str, prefix: str, pool_size: int) -> dict[str, str]:
    """What every process of the deployment gets, as an operator would export it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update({
        "ASSISTANT_HOME": str(home / "var"), "ASSISTANT_DATABASE_URL": database_url,
        "ASSISTANT_DATABASE_AUTO_MIGRATE": "false", "ASSISTANT_DATABASE_POOL_SIZE": str(pool_size),
        "ASSISTANT_REDIS_URL": redis_url, "ASSISTANT_QUEUE_BACKEND": "rq", "ASSISTANT_REDIS_PREFIX": prefix,
        "RQ_KEY_PREFIX": f"{prefix}rq",  # RQ's own keys (rq:job:*, registries) under the run's prefix too
        "ASSISTANT_JWT_SECRET": secrets.token_urlsafe(32),  # one secret shared by every API process
        "ASSISTANT_ACCESS_TOKEN_TTL": "86400",  # the run's tokens outlive any run
        "ASSISTANT_LOG_LEVEL": "WARNING", "ASSISTANT_ACCESS_LOG": "false",
        # every simulated user logs in from 127.0.0.1 once: not a brute force to throttle
        "ASSISTANT_LOGIN_ATTEMPTS_PER_ADDRESS": "1000000",
    })
    return env


def _start(name: str, command: list[str], env: dict[str, str], home: Path) -> Process:
    log = home / f"{name}.log"
    with log.open("wb") as stream:  # the child keeps its own descriptor
        popen = subprocess.Popen(command, env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=stream)
    return Process(name=name, popen=popen, log=log)


def _stop(processes: list[Process]) -> None:
    for process in processes:
        if process.popen.poll() is None:
            process.popen.terminate()
    for process in processes:
        try:
            process.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.popen.kill()
            process.popen.wait()


def _delete_keys(redis_url: str, prefix: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        batch = list(client.scan_iter(f"{prefix}*", count=1000))
        for start in range(0, len(batch), 1000):
            client.delete(*batch[start:start + 1000])
    finally:
        client.close()


@contextlib.contextmanager
def deployed(home: Path, *, server: str, redis_url: str, apis: int, workers: int,
             pool_size: int) -> Iterator[Stack]:
    """The deployment, migrated and answering /healthz on every API; torn down on exit."""
    redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    prefix = f"bench-load-{uuid.uuid4().hex[:8]}:"
    url, drop = postgres_database(server)
    env = environment(home, url, redis_url, prefix, pool_size)
    stack = Stack(env=env, home=home, database_url=url, redis_url=redis_url, prefix=prefix, api_urls=[], apis=[],
                  workers=[])
    try:
        stack.cli("db", "upgrade")
        for n in range(apis):
            port = free_port()
            stack.apis.append(_start(f"api-{n + 1}", [str(ASSISTANT), "serve", "--port", str(port), "--workers", "1"],
                                     env, home))
            stack.api_urls.append(f"http://127.0.0.1:{port}")
        for n in range(workers):
            stack.workers.append(_start(f"worker-{n + 1}", [str(ASSISTANT), "worker"], env, home))
        for url_, process in zip(stack.api_urls, stack.apis, strict=True):
            with httpx.Client(base_url=url_) as probe:
                if not healthy(probe, attempts=600):
                    raise SystemExit(f"{process.name} did not start: {process.log.read_text()[-2000:]}")
        time.sleep(0.5)
        if stack.dead():
            raise SystemExit(f"exited at start: {', '.join(stack.dead())}")
        yield stack
    finally:
        crashed = [p for p in stack.processes() if p.popen.poll() is not None]
        _stop(stack.processes())
        for process in crashed:  # the processes' side of a crash
            print(f"--- {process.name} log (exited {process.popen.returncode}):\n{process.log.read_text()[-3000:]}",
                  file=sys.stderr)
        try:
            drop()
        finally:
            _delete_keys(redis_url, prefix)
