"""Figures of the web dashboard and its real-time gateway (issue 15), each part in functions of its
own and chosen with ``--only``.

``websocket`` (WebSocket /api/v1/events, on PostgreSQL + Redis with an RQ worker, as deployed):

- Ready latency: a document's ``document.completed`` event reaching a WebSocket client after the
  worker committed the completion. The commit's time is the worker's ``process_completed`` log line
  (JSON, microseconds; written right after the commit, before the publish); the arrival is the
  client's clock when the message is read (same machine, same clock). Documents are uploaded one
  at a time and each waits for its event, p50/p90 over ``--documents``. Baseline in the same run:
  the bare Redis pub/sub round trip (a PUBLISH from a thread to a SUBSCRIBE in this process), the
  floor under the worker -> Redis -> API -> socket path. CPU: the API process's CPU seconds over
  the phase, per event delivered. Target: <= 500 ms.
- Memory: the API process's RSS (/proc VmRSS) warmed up with no socket open, then with
  ``--sockets`` sockets open, authenticated and subscribed (every one has received an event), and
  the difference per socket (the warm-up: one socket, one upload and its events, so that what the
  first upload loads is not counted as the sockets'). CPU: the API process's CPU seconds for opening them and fanning one
  user's events out to all. Target: 200 sockets <= 50 MB.

``pages`` (the Library's first load in Debian's Chromium, headless, driven by Playwright; the
embedded profile as `make run` starts it):

- A signed-in user with a full free-tier library (10 small documents) opens ``/`` in a fresh browser
  profile each time (nothing cached), ``--loads`` times. Transferred: the bytes of every response
  the page needed (the Resource Timing ``transferSize`` of the document and each stylesheet, script
  and image: headers and the gzipped bodies as sent). DOMContentLoaded: Navigation Timing's
  ``domContentLoadedEventEnd`` from the navigation's start. CPU: the API process's CPU seconds per
  load (/proc). Baseline in the same run: the sign-in page (the same layout and stylesheet, no
  data, no script) loaded the same way. Targets: <= 150 KB and <= 300 ms.

Run:  .venv/bin/python -m bench.web --only websocket
      (--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres --redis-url redis://127.0.0.1:6379/15:
       the defaults; a database of its own is created on that server and dropped afterwards)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx

from tests.e2e.api_server import free_port, healthy

ASSISTANT = Path(sys.executable).with_name("assistant")
PASSWORD = "benchmark password"
TARGET_READY_MS, TARGET_SOCKETS_MB = 500, 50
PARTS = ("websocket", "pages")
TARGET_PAGE_KB, TARGET_PAGE_MS = 150, 300


# --- shared: processes, CPU and memory of a process --------------------------------------------

def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@contextlib.contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A fresh database on ``server_url``, dropped afterwards."""
    from sqlalchemy import create_engine, text

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"bench_web_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- websocket ---------------------------------------------------------------------------------

class Deployment:
    """One `assistant serve` (one process) and one `assistant worker` on a database and Redis."""

    def __init__(self, home: Path, database_url: str, redis_url: str) -> None:
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        self.env.update({"ASSISTANT_HOME": str(home / "var"), "ASSISTANT_DATABASE_URL": database_url,
                         "ASSISTANT_DATABASE_AUTO_MIGRATE": "true", "ASSISTANT_REDIS_URL": redis_url,
                         "ASSISTANT_REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}:", "ASSISTANT_LOG_LEVEL": "WARNING",
                         "ASSISTANT_ACCESS_LOG": "false", "ASSISTANT_JWT_SECRET": uuid.uuid4().hex * 2})
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.worker_log = home / "worker.log"
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        self._cli("db", "upgrade")
        self.api = self._spawn(["serve", "--port", str(self.port), "--workers", "1"], self.env, subprocess.DEVNULL)
        with httpx.Client(base_url=self.base) as probe:
            if not healthy(probe):
                raise SystemExit("the API did not start")
        log = self.worker_log.open("w")  # INFO in JSON: its process_completed lines time the commits
        self._spawn(["worker"], {**self.env, "ASSISTANT_LOG_LEVEL": "INFO", "ASSISTANT_LOG_FORMAT": "json"}, log)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(timeout=30)

    def user(self, tier: str) -> str:
        """A new user of ``tier``, logged in: their access token."""
        email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
        with httpx.Client(base_url=self.base, timeout=30) as client:
            client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD}).raise_for_status()
            self._cli("users", "set-tier", email, tier)
            return client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()["access_token"]

    def upload(self, token: str, name: str, data: bytes) -> str:
        with httpx.Client(base_url=self.base, timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
            response = client.post("/api/v1/documents", files={"file": (name, data)})
            response.raise_for_status()
            return response.json()["id"]

    def socket_url(self, token: str) -> str:
        return f"ws://127.0.0.1:{self.port}/api/v1/events?access_token={token}"

    def commit_times(self) -> dict[str, float]:
        """document id -> when its completion was committed (the worker's log, epoch seconds)."""
        times = {}
        for line in self.worker_log.read_text().splitlines():
            if '"process_completed"' in line:
                entry = json.loads(line)
                times[entry["document_id"]] = datetime.fromisoformat(entry["timestamp"].replace("Z", "+00:00")).timestamp()
        return times

    def _cli(self, *args: str) -> None:
        subprocess.run([str(ASSISTANT), *args], env=self.env, cwd=self.home, check=True, capture_output=True)

    def _spawn(self, args: list[str], env: dict[str, str], stderr) -> subprocess.Popen[bytes]:  # noqa: ANN001
        process = subprocess.Popen([str(ASSISTANT), *args], env=env, cwd=self.home, stdout=subprocess.DEVNULL,
                                   stderr=stderr)
        self.processes.append(process)
        return process


def document(n: int) -> bytes:
    return f"# Note {n}\n\nInvoice {n} is payable within {n + 10} days of receipt.\n".encode()


async def ready_latencies(deployment: Deployment, documents: int) -> tuple[list[float], float]:
    """Milliseconds from each completion's commit to its event on the socket; the API's CPU ms per event."""
    from websockets.asyncio.client import connect

    token = deployment.user("enterprise")  # no document quota
    arrived: dict[str, float] = {}
    async with connect(deployment.socket_url(token)) as ws:
        cpu_before = cpu_seconds(deployment.api.pid)
        for n in range(documents):
            document_id = await asyncio.to_thread(deployment.upload, token, f"note-{n}.md", document(n))
            while True:
                event = json.loads(await asyncio.wait_for(ws.recv(), 60))
                if event["type"] == "document.completed" and event["document_id"] == document_id:
                    arrived[document_id] = time.time()
                    break
        cpu = cpu_seconds(deployment.api.pid) - cpu_before
    await asyncio.sleep(0.5)  # the worker's last log line is written
    committed = deployment.commit_times()
    return [(arrived[d] - committed[d]) * 1000 for d in arrived], cpu * 1000 / documents


def redis_round_trips(redis_url: str, count: int = 200) -> list[float]:
    """Milliseconds of a bare PUBLISH (from a thread) -> SUBSCRIBE (here) round trip on the same Redis."""
    import redis

    channel = f"bench-floor-{uuid.uuid4().hex[:8]}"
    subscriber = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    subscriber.subscribe(channel)
    subscriber.get_message(timeout=1)
    publisher = redis.Redis.from_url(redis_url)
    times = []
    for _ in range(count):
        threading.Thread(target=lambda: publisher.publish(channel, repr(time.time()))).start()
        message = None
        while message is None:
            message = subscriber.get_message(timeout=5)
        times.append((time.time() - float(message["data"])) * 1000)
    subscriber.close()
    publisher.close()
    return times


async def socket_memory(deployment: Deployment, sockets: int) -> tuple[float, float, float]:
    """(RSS MB with no socket, RSS MB with ``sockets`` open and subscribed, API CPU seconds for them)."""
    from websockets.asyncio.client import connect

    token = deployment.user("free")

    async def completed(ws, document_id: str) -> None:  # noqa: ANN001
        while (event := json.loads(await asyncio.wait_for(ws.recv(), 60)))["document_id"] != document_id or \
                event["type"] != "document.completed":
            pass

    async with connect(deployment.socket_url(token)) as ws:  # warm-up: the route, an upload, the relay's first use
        await completed(ws, await asyncio.to_thread(deployment.upload, token, "warm-up.md", document(1)))
    await asyncio.sleep(1)
    before, cpu_before = rss_mb(deployment.api.pid), cpu_seconds(deployment.api.pid)
    async with contextlib.AsyncExitStack() as stack:
        opened = [await stack.enter_async_context(connect(deployment.socket_url(token))) for _ in range(sockets)]
        document_id = await asyncio.to_thread(deployment.upload, token, "fan-out.md", document(0))
        # every socket is subscribed and has delivered the document's events
        await asyncio.gather(*(completed(ws, document_id) for ws in opened))
        await asyncio.sleep(1)
        after, cpu = rss_mb(deployment.api.pid), cpu_seconds(deployment.api.pid) - cpu_before
    return before, after, cpu


def websocket_figures(args: argparse.Namespace) -> None:
    home = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        with postgres_database(args.postgres_url) as database_url:
            deployment = Deployment(home, database_url, args.redis_url)
            deployment.start()
            try:
                before, after, open_cpu = asyncio.run(socket_memory(deployment, args.sockets))
                latencies, cpu_ms = asyncio.run(ready_latencies(deployment, args.documents))
            finally:
                deployment.stop()
        floor = redis_round_trips(args.redis_url)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    p50, p90 = percentile(latencies, 0.5), percentile(latencies, 0.9)
    print(f"bench.web websocket: PostgreSQL + Redis, 1 API process + 1 RQ worker, {os.cpu_count()} cores shared")
    print(f"Ready event, worker commit -> client read, {len(latencies)} documents one at a time: "
          f"p50 {p50:.1f} ms, p90 {p90:.1f} ms, max {max(latencies):.1f} ms; API CPU {cpu_ms:.2f} ms per document "
          f"(its upload request and its progress + completed events)")
    print(f"  baseline, same run: bare Redis PUBLISH -> SUBSCRIBE, {len(floor)} messages: "
          f"p50 {statistics.median(floor):.2f} ms, p90 {percentile(floor, 0.9):.2f} ms")
    print(f"  target <= {TARGET_READY_MS} ms: {'met' if p90 <= TARGET_READY_MS else 'not met'} (p90)")
    grown = after - before
    print(f"{args.sockets} open WebSockets on one API process: RSS {before:.1f} MB -> {after:.1f} MB "
          f"(+{grown:.1f} MB, {grown * 1024 / args.sockets:.0f} KB per socket); API CPU {open_cpu:.2f} s to open "
          f"them and deliver one document's events to each")
    print(f"  target <= {TARGET_SOCKETS_MB} MB: {'met' if grown <= TARGET_SOCKETS_MB else 'not met'}")


# --- pages -------------------------------------------------------------------------------------

FIRST_LOAD = """() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    return {bytes: navigation.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
            requests: 1 + resources.length, dcl: navigation.domContentLoadedEventEnd - navigation.startTime};
}"""


def signed_in_cookie(base: str) -> dict[str, str]:
    """A new account through the register form, with 10 documents: its session cookie."""
    import re

    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
        form = client.get("/register").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        client.post("/register", data={"email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD,
                                       "csrf_token": token}).raise_for_status()
        csrf = re.search(r'"csrf": "([^"]+)"', client.get("/").text).group(1)  # type: ignore[union-attr]
        for n in range(10):
            client.post("/api/v1/documents", files={"file": (f"quarterly-note-{n}.md", document(n))},
                        headers={"X-CSRF-Token": csrf}).raise_for_status()
        return {"name": "assistant_session", "value": client.cookies["assistant_session"], "url": base}


def page_loads(browser, base: str, path: str, cookie: dict[str, str] | None, loads: int, api_pid: int,
               ) -> tuple[list[dict[str, float]], float]:  # noqa: ANN001
    """Each load in a fresh profile; the figures of each and the API's CPU ms per load."""
    figures, cpu_before = [], cpu_seconds(api_pid)
    for _ in range(loads):
        context = browser.new_context(base_url=base)
        if cookie:
            context.add_cookies([cookie])
        page = context.new_page()
        page.goto(path, wait_until="load")
        figures.append(page.evaluate(FIRST_LOAD))
        context.close()
    return figures, (cpu_seconds(api_pid) - cpu_before) * 1000 / loads


def pages_figures(args: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import clean_env

    home = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**clean_env(home), "ASSISTANT_PORT": str(port), "ASSISTANT_ACCESS_LOG": "false"}
    api = subprocess.Popen([str(ASSISTANT), "serve"], cwd=home, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=base) as probe:
            if not healthy(probe):
                raise SystemExit("the API did not start")
        cookie = signed_in_cookie(base)
        time.sleep(2)  # the 10 documents processed: the page shows them Ready
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page_loads(browser, base, "/", cookie, 2, api.pid)  # warm-up: the server's first renders
            library, library_cpu = page_loads(browser, base, "/", cookie, args.loads, api.pid)
            signin, signin_cpu = page_loads(browser, base, "/signin", None, args.loads, api.pid)
            browser.close()
    finally:
        api.terminate()
        api.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)

    def line(name: str, loads: list[dict[str, float]], cpu_ms: float) -> str:
        kb = [f["bytes"] / 1024 for f in loads]
        dcl = [f["dcl"] for f in loads]
        return (f"{name}: {statistics.median(kb):.1f} KB in {int(loads[0]['requests'])} requests; DOMContentLoaded "
                f"p50 {statistics.median(dcl):.0f} ms, max {max(dcl):.0f} ms; API CPU {cpu_ms:.1f} ms per load")

    print(f"bench.web pages: embedded profile, headless Chromium ({args.chromium}), {args.loads} cold loads each, "
          f"{os.cpu_count()} cores shared")
    print(line("Library, 10 documents (first load)", library, library_cpu))
    print("  baseline, same run: " + line("sign-in page", signin, signin_cpu))
    kb, dcl = statistics.median(f["bytes"] for f in library) / 1024, statistics.median(f["dcl"] for f in library)
    print(f"  targets <= {TARGET_PAGE_KB} KB and <= {TARGET_PAGE_MS} ms: "
          f"{'met' if kb <= TARGET_PAGE_KB else 'not met'} and {'met' if dcl <= TARGET_PAGE_MS else 'not met'} (p50)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=PARTS, action="append", help="a part to run (default: all)")
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--documents", type=int, default=20, help="websocket: documents timed")
    parser.add_argument("--sockets", type=int, default=200, help="websocket: sockets held open")
    parser.add_argument("--loads", type=int, default=10, help="pages: cold loads of each page")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="pages: the browser")
    args = parser.parse_args()
    for part in args.only or PARTS:
        {"websocket": websocket_figures, "pages": pages_figures}[part](args)


if __name__ == "__main__":
    main()
