"""Every read route, an upload and a question at the seed's capacity limit (10,000 users, 1,000,000
documents, 2,000,000 conversations, 2,000,000 analytics events on PostgreSQL) against the same
routes on a 1,000-document database, in one run. Issue 17's targets: every route's p99 at 1M <= 2x
its p99 at 1k, and global analytics for 365 days <= 50 ms.

Both sizes are set up first, then each route is measured alternately on one and the other
(``ROUNDS`` rounds), so what else runs on the machine weighs on both alike. Each size gets a
PostgreSQL database of its own on the server (loaded by generate_series, see bench/scale_data.py;
dropped at the end), loaded at revision 0011 and then migrated to the head (0012 partitions the
conversations and analytics events by month, timed); the analytics rollup job is run once (timed:
what a worker does on its first start over existing data), then VACUUM ANALYZE (what autovacuum does within a minute of the
catch-up's deletes and updates) and a CHECKPOINT. One `assistant serve` process per size (inline
queue, in-memory cache) answers sequential requests from one client: p50 and p99 per route, and
the CPU per request of the API process and of the PostgreSQL backends serving its database (Linux
/proc; parallel query workers are not counted).

Run: .venv/bin/python -m bench.scale [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
     [--documents 1000000] [--requests 100] [--keep] [--routes analytics]

``--keep``: the databases are named after the size (assistant_scale_1k, assistant_scale_1000k),
loaded only when they do not hold the data set yet and not dropped at the end, so a
second run skips the load; each run still runs the rollup job (catching up the days since the
last run), VACUUM ANALYZE and a CHECKPOINT, and adds its own two users, their slice and the
audit entries its requests write. Drop them with ``DROP DATABASE assistant_scale_...`` when done.
``--routes WORD``: only the routes whose name contains WORD (e.g. ``analytics global``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import attrs
import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.usage_rollups import SqlAlchemyAnalyticsRollups
from bench import scale_data
from bench.api import cpu_seconds
from bench.question_speed import postgres_database
from tests.e2e.api_server import free_port, healthy

ASSISTANT = Path(sys.executable).with_name("assistant")
PASSWORD = "benchmark password"
NOTE = ("Invoices are due within 30 days of delivery. Late payment carries interest of 8% a year. "
        "The supplier in Tallinn ships on Mondays; returns are accepted for 14 days.")


def postgres_cpu(database: str) -> float:
    """User + system CPU seconds of the server's backends connected to ``database``."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f" {database} ".encode() not in (entry / "cmdline").read_bytes().replace(b"\0", b" ") + b" ":
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError):
            continue
    return total


def measure(call, count: int, api_pid: int, database: str, first: int) -> tuple[list[float], float, float]:
    """Wall ms of ``count`` calls, and the API's and PostgreSQL's CPU seconds over them."""
    times = []
    api, pg = cpu_seconds(api_pid) or 0.0, postgres_cpu(database)
    for i in range(first, first + count):
        started = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - started) * 1000)
    return times, (cpu_seconds(api_pid) or 0.0) - api, postgres_cpu(database) - pg


def summary(times: list[float], api_cpu: float, pg_cpu: float) -> dict[str, float]:
    times = sorted(times)
    return {"p50": times[len(times) // 2], "p99": times[max(int(len(times) * 0.99) - 1, 0)],
            "api_cpu": api_cpu / len(times) * 1000, "pg_cpu": pg_cpu / len(times) * 1000}


def routes(client: httpx.Client, user: dict, admin: dict, doc: str, asked: str) -> dict:
    def get(path: str, auth: dict):
        return lambda i: client.get(path, headers=auth).raise_for_status()

    def upload(i: int) -> None:
        body = f"{NOTE} Upload {uuid.uuid4()}.".encode()
        assert client.post("/api/v1/documents", headers=user, files={"file": (f"n{i}.md", body)}).status_code == 202

    def ask(i: int) -> None:
        client.post(f"/api/v1/documents/{asked}/query", headers=user,
                    json={"question": f"When are invoices due? ({i} {uuid.uuid4().hex[:6]})"}).raise_for_status()

    table = {"GET documents": get("/api/v1/documents", user), "GET a document": get(f"/api/v1/documents/{doc}", user),
             "GET usage": get("/api/v1/usage", user), "GET conversations": get("/api/v1/conversations", user),
             "GET threads": get("/api/v1/threads", user)}
    for scope, auth in (("own", user), ("global", admin)):
        for days in (1, 30, 365):
            table[f"GET analytics {scope} {days}d"] = get(f"/api/v1/analytics?scope={scope}&days={days}", auth)
    return table | {"POST upload": upload, "POST question": ask}


@attrs.define
class Deployment:
    """One size: its database, its API process, and the measured user's and administrator's tokens."""

    name: str
    notes: dict[str, float]
    process: subprocess.Popen[bytes]
    client: httpx.Client
    calls: dict


def deploy(stack: contextlib.ExitStack, server: str, size: dict[str, int], home: Path, *,
           keep: str | None = None) -> Deployment:
    if keep is None:
        url, drop = postgres_database(server)
        stack.callback(drop)
        loaded = False
    else:
        url, loaded = scale_data.kept_database(server, keep)
    name = make_url(url).database
    migrate.upgrade(url, "0011")  # loaded into plain tables, then partitioned by the migration, as an upgrade does
    engine = make_engine(url)
    stack.callback(engine.dispose)
    notes: dict[str, float] = {}
    started = time.perf_counter()
    if not loaded:
        scale_data.load(engine, **size)
        if keep is not None:
            with engine.begin() as connection:
                connection.execute(text(f"CREATE TABLE {scale_data.LOADED} (at timestamptz DEFAULT now())"))
    notes["load s"] = time.perf_counter() - started
    started = time.perf_counter()
    migrate.upgrade(url)
    notes["partition s"] = time.perf_counter() - started
    started = time.perf_counter()
    run = SqlAlchemyAnalyticsRollups(engine).run(datetime.now(UTC))
    notes["rollup s"], notes["rolled days"] = time.perf_counter() - started, len(run.days)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))  # what autovacuum does within a minute of the catch-up
        connection.execute(text("CHECKPOINT"))  # the load's dirty pages written now, not while measuring
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update({"ASSISTANT_HOME": str(home / name), "ASSISTANT_LOG_LEVEL": "WARNING", "ASSISTANT_ACCESS_LOG": "false",
                "ASSISTANT_DATABASE_URL": url, "ASSISTANT_QUEUE_BACKEND": "inline", "ASSISTANT_PORT": str(port)})
    log_path = home / f"{name}.log"
    log = stack.enter_context(log_path.open("w"))
    process = subprocess.Popen([str(ASSISTANT), "serve", "--workers", "1"], env=env, cwd=home,
                               stdout=subprocess.DEVNULL, stderr=log)

    def stop() -> None:
        process.terminate()
        process.wait(timeout=30)
        if sys.exc_info()[0] is not None:
            print(log_path.read_text()[-3000:], file=sys.stderr)  # the server's side of a failure

    stack.callback(stop)
    client = stack.enter_context(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60))
    if not healthy(client, attempts=300):
        raise SystemExit("the API server did not start: " + log_path.read_text()[-2000:])
    tokens, doc = {}, ""
    for who in ("user", "admin"):
        email = f"{who}-{uuid.uuid4().hex[:6]}@scale.example"
        made = client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        made.raise_for_status()
        if who == "admin":
            with engine.begin() as connection:
                connection.execute(text("UPDATE users SET role = 'admin' WHERE email = :e"), {"e": email})
        else:
            doc = str(scale_data.own_slice(engine, uuid.UUID(made.json()["id"])))
        login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()
        tokens[who] = {"Authorization": f"Bearer {login['access_token']}"}
    asked = client.post("/api/v1/documents", headers=tokens["user"], files={"file": ("terms.md", NOTE.encode())}).json()["id"]
    for _ in range(100):
        if client.get(f"/api/v1/documents/{asked}", headers=tokens["user"]).json()["status"] == "completed":
            break
        time.sleep(0.1)
    calls = routes(client, tokens["user"], tokens["admin"], doc, asked)
    return Deployment(name=name, notes=notes, process=process, client=client, calls=calls)


ROUNDS = 5  # each route alternates between the sizes this many times: noise from the machine hits both


def compare(sizes: dict[str, Deployment], requests: int, only: str = "") -> dict[str, dict[str, dict[str, float]]]:
    figures: dict[str, dict[str, dict[str, float]]] = {}
    for route in (r for r in next(iter(sizes.values())).calls if only in r):
        count = max((requests if not route.startswith("POST") else requests // 3) // ROUNDS, 2)
        gathered = {label: ([], 0.0, 0.0) for label in sizes}
        for label, deployment in sizes.items():
            deployment.calls[route](0)  # warm-up
        for round_ in range(ROUNDS):
            for label, deployment in sizes.items():
                times, api, pg = measure(deployment.calls[route], count, deployment.process.pid, deployment.name,
                                         1 + round_ * count)
                before = gathered[label]
                gathered[label] = (before[0] + times, before[1] + api, before[2] + pg)
        figures[route] = {label: summary(*values) for label, values in gathered.items()}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("ASSISTANT_TEST_POSTGRES_URL",
                                                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100, help="per read route (a third of it per POST route)")
    parser.add_argument("--keep", action="store_true", help="keep the databases and reuse them in the next run")
    parser.add_argument("--routes", default="", help="only the routes whose name contains this")
    args = parser.parse_args()
    big = {"users": args.documents // 100, "documents": args.documents, "conversations": args.documents * 2,
           "events": args.documents * 2}
    small = {k: max(v // (args.documents // 1000), 1) for k, v in big.items()}
    labels = ["1k", f"{args.documents // 1000}k"]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder, contextlib.ExitStack() as stack:
        sizes = {label: deploy(stack, args.server, size, Path(folder), keep=f"assistant_scale_{label}" if args.keep else None)
                 for label, size in zip(labels, (small, big))}
        figures = compare(sizes, args.requests, args.routes)
    for label, deployment in sizes.items():
        notes = deployment.notes
        print(f"{label}: load {notes['load s']:.1f} s, migration 0012 (partitions) {notes['partition s']:.1f} s, "
              f"rollup job {notes['rollup s']:.1f} s "
              f"({notes['rolled days']:.0f} days)")
    print(f"{'route':<26}{'p50 ' + labels[0]:>9}{'p99 ' + labels[0]:>9}{'p50 ' + labels[1]:>11}"
          f"{'p99 ' + labels[1]:>11}{'p99 x':>7}{'API CPU ms':>14}{'PG CPU ms':>13}  target")
    failed = []
    for route, by_size in figures.items():
        a, b = by_size[labels[0]], by_size[labels[1]]
        ratio = b["p99"] / a["p99"]
        ok = ratio <= 2 and (route != "GET analytics global 365d" or b["p99"] <= 50)
        failed += [] if ok else [route]
        print(f"{route:<26}{a['p50']:>9.1f}{a['p99']:>9.1f}{b['p50']:>11.1f}{b['p99']:>11.1f}{ratio:>7.2f}"
              f"{a['api_cpu']:>7.2f}{b['api_cpu']:>7.2f}{a['pg_cpu']:>6.2f}{b['pg_cpu']:>7.2f}  {'met' if ok else 'MISSED'}")
    print("CPU per request: small size, then large. Targets: p99 <= 2x the small size's; global 365 days <= 50 ms")
    print("all targets met" if not failed else f"targets missed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
