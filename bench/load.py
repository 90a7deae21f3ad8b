"""Load test (issue 17): mixed traffic at a fixed arrival rate from simulated users against the
production profile on this machine: PostgreSQL + Redis + 2 `assistant serve` API processes + 2
`assistant worker` processes, all real subprocesses (bench/load_stack.py).

Set-up: a database of its own (migrated with `assistant db upgrade`, dropped at the end) and a
Redis key prefix of its own (deleted at the end); an administrator made with `assistant users
create --admin`; ``--users`` users registered and logged in over HTTP and moved to the enterprise
tier through the admin API (no tier limit applies to them, so no answer is rate-limited at the
target rate; a 429 would be counted apart from the errors); each uploads ``--seeds`` documents
(bench/load_data.py) and waits until they are Ready, then asks each of them three questions, which
the answer cache then holds.

Traffic (bench/load_traffic.py): open loop, arrivals scheduled by the clock; the mix is printed.
Output: achieved throughput, p50/p99 per route, errors by route and status (target 0), documents
lost (every upload answered 202 must be completed, or failed with a reason, in the database within
``--grace`` seconds after the last response: target 0), and the CPU seconds of each API and worker
process, of PostgreSQL's backends of the run's database and of redis-server, of this client, and
of the whole machine, beside the wall time.

Run: .venv/bin/python -m bench.load [--rate 100] [--duration 300] [--users 50] [--apis 2] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from bench.load_data import cached_questions, document
from bench.load_stack import Stack, deployed, machine_busy
from bench.load_traffic import MIX, Outcome, SimUser, Traffic

PASSWORD = "load test password"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"


def statuses(stack: Stack, ids: list[str]) -> dict[str, tuple[str, str | None]]:
    """id -> (status, error message) of the documents in the database."""
    engine = create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id::text, status, error_message FROM documents "
                                           "WHERE id = ANY(CAST(:ids AS uuid[]))"), {"ids": ids})
            return {r[0]: (r[1], r[2]) for r in rows}
    finally:
        engine.dispose()


def settled(stack: Stack, ids: list[str], grace: float) -> tuple[dict[str, int], float]:
    """Wait up to ``grace`` s for every document to be completed or failed with a reason; the
    count of each final state ("lost": still pending/processing, failed without a reason, or no
    row at all) and the seconds waited."""
    started = time.perf_counter()
    while True:
        found = statuses(stack, ids)
        counts = {"completed": 0, "failed": 0, "lost": 0}
        for document_id in ids:
            status, error = found.get(document_id, ("missing", None))
            key = status if status == "completed" or (status == "failed" and error) else "lost"
            counts[key] += 1
        waited = time.perf_counter() - started
        if not counts["lost"] or waited >= grace:
            return counts, waited
        time.sleep(0.5)


def make_users(stack: Stack, count: int, seeds: int, rng: random.Random) -> list[SimUser]:
    """Enterprise users with processed seed documents whose cached questions were asked once."""
    admin_email = f"admin-{uuid.uuid4().hex[:6]}@load.example"
    stack.cli("users", "create", admin_email, "--admin", "--password", PASSWORD)
    clients = [httpx.Client(base_url=url, timeout=60) for url in stack.api_urls]
    try:
        api = clients[0]
        login = api.post("/api/v1/auth/login", json={"email": admin_email, "password": PASSWORD})
        admin = {"Authorization": f"Bearer {login.raise_for_status().json()['access_token']}"}
        users = []
        for n in range(count):
            email = f"user-{n}-{uuid.uuid4().hex[:6]}@load.example"
            made = api.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD}).raise_for_status()
            api.put(f"/api/v1/users/{made.json()['id']}/tier", headers=admin, json={"tier": "enterprise"}
                    ).raise_for_status()
            token = api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).raise_for_status()
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            ids = []
            for s in range(seeds):
                name, data = document(rng, n * 100 + s)
                ids.append(api.post("/api/v1/documents", headers=headers, files={"file": (name, data)}
                                    ).raise_for_status().json()["id"])
            users.append(SimUser(email=email, headers=headers, seeds=ids, cached=[]))
        counts, _ = settled(stack, [d for u in users for d in u.seeds], 120)
        if counts["completed"] != count * seeds:
            raise SystemExit(f"seed documents not all processed: {counts}")
        for n, user in enumerate(users):  # fill the answer cache, through both API processes
            for s, doc in enumerate(user.seeds):
                for question in cached_questions():
                    clients[(n + s) % len(clients)].post(f"/api/v1/documents/{doc}/query", headers=user.headers,
                                                         json={"question": question}).raise_for_status()
                    user.cached.append((doc, question))
        return users
    finally:
        for client in clients:
            client.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(int(round(p * len(ordered))) - 1, 0))] if ordered else float("nan")


def report(args: argparse.Namespace, stack: Stack, out: Outcome, cpu: dict[str, float], machine: tuple[float, float],
           documents: dict[str, int], waited: float, setup: dict[str, float]) -> None:
    window = out.last_arrival - out.first_arrival
    wall = out.last_response - out.first_arrival
    print(f"bench.load: {args.apis} API processes, {args.workers} workers, {args.users} users, PostgreSQL + Redis, "
          f"{os.cpu_count()} cores, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"database {stack.database} and Redis keys {stack.prefix}* on {stack.redis_url} (removed at the end)")
    print(f"set-up: deployment {setup['deploy']:.1f} s, {args.users} users with {args.seeds} seed documents each "
          f"(processed) and {len(cached_questions())} cached questions per document {setup['users']:.1f} s")
    print("mix: " + ", ".join(f"{route} {share}%" for route, share in MIX.items()))
    print(f"target rate: {args.rate:g} req/s for {args.duration:g} s (at most {args.max_requests} requests, "
          f"{args.max_in_flight} in flight)")
    print(f"arrivals: {out.arrivals} over {window:.1f} s; sent {out.arrivals - out.shed}, shed {out.shed}; "
          f"responses {out.completed}")
    print(f"throughput: {out.completed / wall:.1f} req/s achieved (responses / {wall:.1f} s from the first "
          f"arrival to the last response); offered {out.arrivals / max(window, 1e-9):.1f} req/s")
    print(f"client lag (send time - scheduled time): p50 {percentile(out.lags, 0.5) * 1000:.1f} ms, "
          f"p99 {percentile(out.lags, 0.99) * 1000:.1f} ms, max {max(out.lags, default=0) * 1000:.1f} ms")
    print(f"{'route':<22}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'cache hits':>12}")
    for route in MIX:
        times = out.latencies.get(route, [])
        hits = f"{out.cache_hits[route]}" if route.endswith("question") else ""
        print(f"{route:<22}{len(times):>7}{percentile(times, 0.5):>9.1f}{percentile(times, 0.99):>9.1f}"
              f"{max(times, default=float('nan')):>9.1f}{hits:>12}")
    errors = sum(out.errors.values())
    print(f"errors: {errors}" + "".join(f"\n  {route} {status}: {n}" for (route, status), n in sorted(out.errors.items())))
    print(f"rate-limited (429): {sum(out.rate_limited.values())}")
    lost = documents["lost"]
    print(f"uploads accepted: {len(out.uploads)}; completed {documents['completed']}, failed with a reason "
          f"{documents['failed']}, after {waited:.1f} s of grace")
    print(f"documents lost: {lost}")
    busy, total = machine
    print(f"CPU seconds over the run's {wall:.1f} s of wall time (one core = {wall:.1f} s):")
    for name, seconds in [*cpu.items(), ("load client (this process)", out.client_cpu)]:
        print(f"  {name:<28}{seconds:>8.1f} s  {seconds / wall * 100:>5.0f}% of a core"
              f"  {seconds * 1000 / max(out.completed, 1):>6.2f} ms/request")
    print(f"  {'machine, every process':<28}{busy:>8.1f} s  {busy / total * 100:>5.0f}% of "
          f"{os.cpu_count()} cores busy")
    met = errors == 0 and lost == 0 and out.shed == 0
    print(f"targets: errors 0, documents lost 0, nothing shed: {'met' if met else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0, help="arrivals per second")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of arrivals")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seeds", type=int, default=2, help="documents each user uploads before the run")
    parser.add_argument("--apis", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-in-flight", type=int, default=200)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--grace", type=float, default=60.0, help="seconds for the uploads to be processed")
    parser.add_argument("--pool-size", type=int, default=8, help="ASSISTANT_DATABASE_POOL_SIZE of each process")
    parser.add_argument("--server", default=os.environ.get("ASSISTANT_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    args = parser.parse_args()
    rng = random.Random(17)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder, \
            deployed(Path(folder), server=args.server, redis_url=args.redis_url, apis=args.apis,
                     workers=args.workers, pool_size=args.pool_size) as stack:
        setup = {"deploy": time.perf_counter() - started}
        users = make_users(stack, args.users, args.seeds, rng)
        setup["users"] = time.perf_counter() - started - setup["deploy"]
        traffic = Traffic(api_urls=stack.api_urls, users=users, rate=args.rate, duration=args.duration,
                          max_requests=args.max_requests, max_in_flight=args.max_in_flight)
        before, machine_before = stack.cpu(), machine_busy()
        out = traffic.run()
        after, machine_after = stack.cpu(), machine_busy()
        cpu = {name: after[name] - before[name] for name in before}
        machine = (machine_after[0] - machine_before[0], machine_after[1] - machine_before[1])
        documents, waited = settled(stack, out.uploads, args.grace)
        if stack.dead():
            print(f"processes that exited during the run: {', '.join(stack.dead())}")
        report(args, stack, out, cpu, machine, documents, waited, setup)


if __name__ == "__main__":
    main()
