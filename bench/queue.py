"""End-to-end processing throughput on RQ workers (PostgreSQL + Redis on this machine).

Small text documents are uploaded through UploadDocument (recorded in PostgreSQL, enqueued on
Redis) while no worker runs. Their jobs are then held aside, 1 or 2 ``assistant worker``
processes are started and waited for (registered with RQ: imports, container and connections
done), and the jobs are released at once; the workers run until every document is completed.
So the figure is the steady rate of warm workers, not their start-up race (a second worker
starting a second later would otherwise be measured as scaling). Figures: the upload rate
(record + enqueue), the raw enqueue rate of RqJobQueue, documents/s between the release and the
last completion, and the CPU spent per document by the worker processes, PostgreSQL and Redis
(read from /proc; PostgreSQL and Redis figures include anything else using those servers
meanwhile). The baseline is one SimpleWorker; ProcessDocument called in-process without any queue
shows what the queue costs, and the forking Worker is measured for the worker-class decision.

With ``--pdf`` the five SEC 10-Q filings of the shared corpus (28-52 pages each) are processed by
1 and 2 workers too (too few documents for a steady rate: wall time from the release).

Run: .venv/bin/python -m bench.queue [--documents 400] [--pdf] [--repeat N]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from tempfile import TemporaryDirectory

from rq import Worker
from sqlalchemy import create_engine, text

from adapters.persistence.migrate import upgrade
from application.use_cases.upload_document import UploadDocumentCommand
from config.bootstrap import build_container, local_user
from domain.tiers import QueuePriority

SERVER = os.environ.get("ASSISTANT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
ASSISTANT = Path(sys.executable).with_name("assistant")
SEC_10Q = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf" / "sec-10q"
CLOCK_TICK = os.sysconf("SC_CLK_TCK")


def small_documents(count: int) -> list[tuple[str, bytes]]:
    body = "# Note {i}\n\nInvoice {i} is payable within {days} days.\n\nRef {ref}.\n"
    return [(f"n{i}.md", body.format(i=i, days=i % 90, ref=uuid.uuid4()).encode()) for i in range(count)]


def cpu_seconds(pids: list[int] | None = None, names: tuple[str, ...] = ()) -> float:
    """User + system CPU of the given processes, or of every process whose name is in ``names``."""
    total = 0.0
    for entry in (Path("/proc") / str(pid) for pid in pids) if pids is not None else Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if names and (entry / "comm").read_text().strip() not in names:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15]) / CLOCK_TICK  # with waited-for children (forked jobs)
    return total


def run(workers: int, worker_class: str, files: list[tuple[str, bytes]], home: Path) -> dict[str, float]:
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = f"bench_queue_{uuid.uuid4().hex[:8]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "ASSISTANT_DATABASE_URL": url, "ASSISTANT_REDIS_URL": REDIS, "ASSISTANT_HOME": str(home),
           "ASSISTANT_REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}:",
           "ASSISTANT_WORKER_CLASS": "fork" if worker_class == "fork" else "simple",
           "ASSISTANT_LOG_LEVEL": "WARNING", "ASSISTANT_TIERS": '{"free": {"max_documents": null}}'}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        upgrade(url)
        os.environ.update(env)
        container = build_container()
        user = local_user(container)
        upload = container.upload_document()
        started = time.perf_counter()
        for filename, data in files:
            upload(UploadDocumentCommand(user_id=user.id, filename=filename, data=data))
        upload_rate = len(files) / (time.perf_counter() - started)
        queue = container.queue()
        connection = queue.connection
        held = {q.key: connection.lrange(q.key, 0, -1) for q in queue.queues.values()}
        connection.delete(*held)  # the jobs wait aside while the workers start
        if workers:
            procs = [subprocess.Popen([str(ASSISTANT), "worker"], env=env) for _ in range(workers)]
            deadline = time.monotonic() + 120
            while len(Worker.all(queue=queue.queues[QueuePriority.LOW])) < workers:
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    raise RuntimeError("the workers did not start")
                time.sleep(0.05)
            time.sleep(0.5)  # past registration: in their dequeue loop
        servers_before = cpu_seconds(names=("postgres", "redis-server"))
        own_before = time.process_time()
        workers_before = cpu_seconds([p.pid for p in procs]) if procs else 0.0
        started = time.perf_counter()
        if workers:
            with connection.pipeline() as pipe:
                for key, ids in held.items():
                    if ids:
                        pipe.rpush(key, *ids)
                pipe.execute()
            engine = create_engine(url)
            deadline = time.monotonic() + 600
            with engine.connect() as c:
                while c.execute(text("SELECT count(*) FROM documents WHERE status IN ('completed', 'failed')")
                                ).scalar() < len(files) and time.monotonic() < deadline:
                    c.rollback()
                    time.sleep(0.02)
            engine.dispose()
        else:  # the baseline: ProcessDocument called in this process, no queue at all
            process = container.process_document()
            with engine_for(url) as c:
                ids = [r[0] for r in c.execute(text("SELECT id FROM documents"))]
            for document_id in ids:
                process(document_id)
        wall = time.perf_counter() - started
        worker_cpu = (cpu_seconds([p.pid for p in procs]) - workers_before if procs
                      else time.process_time() - own_before)
        server_cpu = cpu_seconds(names=("postgres", "redis-server")) - servers_before
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=60)
        container.engine().dispose()
        for q in queue.queues.values():
            q.empty()
        with engine_for(url) as c:
            done, first, last = c.execute(text(
                "SELECT count(*), min(created_at), max(created_at) FROM analytics_events "
                "WHERE type = 'document_processed'")).one()
            pages = c.execute(text("SELECT coalesce(sum(page_count), 0) FROM documents")).scalar()
        return {"completed": done, "upload_rate": upload_rate, "docs_per_s": done / wall, "wall_s": wall,
                "pages": pages, "worker_cpu_ms": worker_cpu * 1000 / max(done, 1),
                "server_cpu_ms": server_cpu * 1000 / max(done, 1)}
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def engine_for(url: str):  # noqa: ANN201
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def enqueue_rate(count: int) -> float:
    """Raw RqJobQueue.enqueue_processing calls per second (each a job hash, a pointer key, a push)."""
    from adapters.queue.rq import RqJobQueue, connect

    connection = connect(REDIS)
    prefix = f"bench-enqueue-{uuid.uuid4().hex[:8]}:"
    queue = RqJobQueue(connection, "bench.queue.nothing", prefix=prefix)
    started = time.perf_counter()
    for _ in range(count):
        queue.enqueue_processing(uuid.uuid4(), priority=QueuePriority.LOW)
    rate = count / (time.perf_counter() - started)
    for q in queue.queues.values():
        q.empty()
    for key in connection.scan_iter(f"{prefix}*"):
        connection.delete(key)
    return rate


def nothing(document_id: str) -> None:
    """A job that does nothing (the enqueue benchmark never runs it)."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--pdf", action="store_true", help="Also the SEC 10-Q PDFs of ../shared/corpus.")
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each configuration (the median is printed).")
    args = parser.parse_args()
    print(f"enqueue (RqJobQueue.enqueue_processing): {enqueue_rate(1000):,.0f} jobs/s")
    if args.pdf:
        pdfs = [(p.name, p.read_bytes()) for p in sorted(SEC_10Q.glob("*.pdf"))]
        for workers in (1, 2):
            with TemporaryDirectory() as home:
                r = run(workers, "simple", pdfs, Path(home))
            print(f"SEC 10-Q PDFs, {workers} x simple worker: {r['completed']} of {len(pdfs)} completed, "
                  f"{r['pages']} pages in {r['wall_s']:.1f} s: "
                  f"{r['completed'] / r['wall_s']:.2f} documents/s, {r['pages'] / r['wall_s']:.1f} pages/s", flush=True)
    results = {}
    for workers, cls in ((0, "direct"), (1, "simple"), (2, "simple"), (1, "fork")):
        runs = []
        for _ in range(args.repeat):
            with TemporaryDirectory() as home:
                runs.append(run(workers, cls, small_documents(args.documents), Path(home)))
        r = {k: statistics.median(x[k] for x in runs) for k in runs[0]}
        results[(workers, cls)] = r
        label = "no queue (ProcessDocument in-process)" if workers == 0 else f"{workers} x {cls} worker"
        rates = ", ".join(f"{x['docs_per_s']:.0f}" for x in runs)
        print(f"{label:38}: {r['docs_per_s']:7.1f} documents/s (runs: {rates}; {r['completed']:.0f} of "
              f"{args.documents} completed); CPU per document: {'worker' if workers else 'this process'} "
              f"{r['worker_cpu_ms']:.2f} ms, PostgreSQL + Redis {r['server_cpu_ms']:.2f} ms; "
              f"upload (record + enqueue) {r['upload_rate']:.0f}/s", flush=True)
    base = results[(1, "simple")]["docs_per_s"]
    print(f"2 workers vs 1 (SimpleWorker): {results[(2, 'simple')]['docs_per_s'] / base:.2f}x")
    print(f"forking Worker vs SimpleWorker, 1 process: {results[(1, 'fork')]['docs_per_s'] / base:.2f}x")
    print(f"1 SimpleWorker vs no queue: {base / results[(0, 'direct')]['docs_per_s']:.2f}x")


if __name__ == "__main__":
    main()
