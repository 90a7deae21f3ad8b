"""How long migration 0012 (conversations and analytics_events partitioned by month) takes on a
loaded PostgreSQL database, its downgrade, and a baseline in the same run: a plain copy of the
same rows into an unpartitioned table with the same indexes (what any rewrite of the tables costs).

The data is bench.scale's (bench/scale_data.py: spread evenly over the last 365 days, so 13 month
partitions plus the months ahead). Wall time is the migration's as a whole; CPU is the PostgreSQL
backends' serving the database (Linux /proc, sampled every 0.1 s, so a backend's last tenth of a
second may be missed) and this process's.

Run: flock /tmp/bench.lock .venv/bin/python -m bench.partition_migration [--rows 2000000]
     [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from bench import scale_data
from bench.question_speed import postgres_database


class BackendCpu(threading.Thread):
    """CPU seconds of the server processes whose command line names ``database``, sampled."""

    def __init__(self, database: str) -> None:
        super().__init__(daemon=True)
        self.database, self.seen, self.stopped = database, dict[int, float](), threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.1):
            self._sample()

    def _sample(self) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if f" {self.database} ".encode() not in (entry / "cmdline").read_bytes().replace(b"\0", b" "):
                    continue
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                self.seen[int(entry.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, ValueError):
                continue

    def total(self) -> float:
        self._sample()
        return sum(self.seen.values())


def timed(label: str, database: str, step: Callable[[], None]) -> None:
    sampler = BackendCpu(database)
    sampler._sample()
    before, own = sampler.total(), time.process_time()
    sampler.start()
    started = time.perf_counter()
    step()
    wall = time.perf_counter() - started
    sampler.stopped.set()
    print(f"  {label:<44} wall {wall:7.1f} s   PostgreSQL CPU {sampler.total() - before:6.1f} s   "
          f"this process CPU {time.process_time() - own:5.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.partition_migration", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("ASSISTANT_TEST_POSTGRES_URL",
                                                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--rows", type=int, default=2_000_000, help="conversations, and as many analytics events")
    args = parser.parse_args()
    url, drop = postgres_database(args.server)
    database = url.rsplit("/", 1)[1]
    try:
        migrate.upgrade(url, "0011")
        engine = make_engine(url)
        print(f"loading {args.rows:,} conversations and {args.rows:,} analytics events ...", flush=True)
        scale_data.load(engine, users=10_000, documents=1_000, conversations=args.rows, events=args.rows)

        def baseline() -> None:
            with engine.begin() as connection:
                for table, indexes in (("conversations", ("user_id, created_at", "thread_id, created_at",
                                                          "created_at", "document_id")),
                                       ("analytics_events", ("user_id, created_at", "type, created_at",
                                                             "created_at"))):
                    connection.execute(text(f"CREATE TABLE copy_{table} (LIKE {table} INCLUDING DEFAULTS)"))
                    connection.execute(text(f"INSERT INTO copy_{table} SELECT * FROM {table}"))
                    connection.execute(text(f"ALTER TABLE copy_{table} ADD PRIMARY KEY (id)"))
                    for columns in indexes:
                        connection.execute(text(f"CREATE INDEX ON copy_{table} ({columns})"))
                    connection.execute(text(f"DROP TABLE copy_{table}"))

        print(f"PostgreSQL, {args.rows:,} rows in each table:")
        timed("baseline: plain copy + same indexes, dropped", database, baseline)
        timed("upgrade 0011 -> 0012 (partition both)", database, lambda: migrate.upgrade(url, "0012"))
        with engine.connect() as connection:
            partitions = connection.execute(text(
                "SELECT count(*) FROM pg_inherits JOIN pg_class ON pg_class.oid = inhrelid WHERE relkind = 'r'")).scalar_one()
            rows = connection.execute(text("SELECT count(*) FROM conversations")).scalar_one()
        print(f"  -> {partitions} partitions, {rows:,} conversations kept")
        timed("downgrade 0012 -> 0011 (plain tables again)", database, lambda: migrate.downgrade(url, "0011"))
        engine.dispose()
    finally:
        drop()


if __name__ == "__main__":
    main()
