"""Throughput and latency of the API under load, against a bare FastAPI hello-world (the ceiling).

Serves `assistant serve` and the hello-world with uvicorn (one process each), then drives each with
wrk (Debian package `wrk`) at 64 connections: the hello-world route, an authenticated
`GET /api/v1/documents`, and a cached `POST /api/v1/documents/{id}/query`. Prints requests/s,
p50 and p99 latency, and each route's ratio to the ceiling.

Run (embedded profile):   .venv/bin/python -m bench.api
Production profile:       .venv/bin/python -m bench.api --database-url postgresql+psycopg://postgres@127.0.0.1/postgres \\
                              --redis-url redis://127.0.0.1:6379/15
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from tests.e2e.api_server import free_port, healthy

ASSISTANT = Path(sys.executable).with_name("assistant")
PASSWORD = "benchmark password"


def start(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wrk(url: str, *, connections: int, seconds: int, token: str | None = None, body: str | None = None,
        workdir: Path) -> dict[str, float]:
    command = ["wrk", f"-c{connections}", f"-t2", f"-d{seconds}s", "--latency"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    if body is not None:
        script = workdir / "post.lua"
        script.write_text(f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n'
                          'wrk.headers["Content-Type"] = "application/json"\n')
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": _ms(out, "50%"), "p99": _ms(out, "99%"),
            "non_2xx": float(errors.group(1)) if errors else 0.0}


def _ms(out: str, quantile: str) -> float:
    value, unit = re.search(rf"{quantile}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def prepare(base: str, env: dict[str, str], home: Path) -> tuple[str, str]:
    """An enterprise user (no rate limits) with one processed document and one cached answer."""
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    with httpx.Client(base_url=base, timeout=30) as client:
        client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD}).raise_for_status()
        subprocess.run([str(ASSISTANT), "users", "set-tier", email, "enterprise"], env=env, cwd=home, check=True,
                       capture_output=True)
        token = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        text = b"# Terms\n\nInvoices are payable within 30 days of receipt.\n\nDelivery takes five days.\n"
        doc = client.post("/api/v1/documents", headers=auth, files={"file": ("terms.md", text)}).json()["id"]
        for _ in range(200):
            if client.get(f"/api/v1/documents/{doc}", headers=auth).json()["status"] == "completed":
                break
            time.sleep(0.05)
        client.post(f"/api/v1/documents/{doc}/query", headers=auth,
                    json={"question": "When are invoices payable?"}).raise_for_status()
    return token, doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes of both servers")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    home = Path(tempfile.mkdtemp(prefix="bench-api-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update({"ASSISTANT_HOME": str(home / "var"), "ASSISTANT_LOG_LEVEL": "WARNING", "ASSISTANT_ACCESS_LOG": "false"})
    if args.database_url:
        env.update({"ASSISTANT_DATABASE_URL": args.database_url, "ASSISTANT_DATABASE_AUTO_MIGRATE": "true"})
    if args.redis_url:
        env["ASSISTANT_REDIS_URL"] = args.redis_url  # Redis cache and rate limits; documents are
        env["ASSISTANT_QUEUE_BACKEND"] = "inline"     # processed in the API process (no worker needed)
    app_port, hello_port = free_port(), free_port()
    servers = [start([str(ASSISTANT), "serve", "--port", str(app_port), "--workers", str(args.workers)], env, home),
               start([sys.executable, "-m", "uvicorn", "bench.hello_app:app", "--port", str(hello_port),
                      "--workers", str(args.workers), "--log-level", "warning", "--no-access-log"],
                     {**env, "PYTHONPATH": os.getcwd()}, Path.cwd())]
    try:
        app, hello = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{hello_port}"
        for url, path in ((app, "/healthz"), (hello, "/hello")):
            with httpx.Client(base_url=url) as probe:
                if not healthy(probe) if path == "/healthz" else not _wait(probe, path):
                    raise SystemExit(f"server at {url} did not start")
        token, doc = prepare(app, env, home)
        runs = {
            "ceiling: bare FastAPI GET /hello": wrk(f"{hello}/hello", connections=args.connections,
                                                   seconds=args.seconds, workdir=home),
            "GET /api/v1/documents (JWT)": wrk(f"{app}/api/v1/documents", connections=args.connections,
                                              seconds=args.seconds, token=token, workdir=home),
            "POST .../query (cached answer)": wrk(f"{app}/api/v1/documents/{doc}/query", connections=args.connections,
                                                 seconds=args.seconds, token=token, workdir=home,
                                                 body=json.dumps({"question": "When are invoices payable?"})),
        }
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=15)
        shutil.rmtree(home, ignore_errors=True)
    ceiling = runs["ceiling: bare FastAPI GET /hello"]["rps"]
    profile = ("PostgreSQL" if args.database_url else "SQLite") + (" + Redis" if args.redis_url else "")
    print(f"bench.api: {profile}, {args.workers} worker process(es) each, {args.connections} connections, "
          f"{args.seconds}s per route, wrk, 2 cores shared")
    print(f"{'route':<36} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs ceiling':>11} {'non-2xx':>8}")
    for name, r in runs.items():
        print(f"{name:<36} {r['rps']:>9.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['rps'] / ceiling:>10.2f}x "
              f"{r['non_2xx']:>8.0f}")


def _wait(client: httpx.Client, path: str) -> bool:
    for _ in range(100):
        try:
            if client.get(path).status_code == 200:
                return True
        except httpx.TransportError:
            time.sleep(0.1)
    return False


if __name__ == "__main__":
    main()
