"""CLI start-up: ``assistant --help``, ``docs`` and ``ask`` as whole processes, beside a bare interpreter.

Each command runs as a fresh process (the console script a user types), on a temporary embedded
profile: ASSISTANT_HOME in a temporary folder (SQLite database, files, the answer cache), no key,
the offline language model. A small Markdown file is ingested first (not timed), the local user is
moved to the enterprise tier (no rate limit in the way of the runs), and every command runs once
untimed (migrations done, the OS file cache warm). Then each command runs N times: wall time
(``time.perf_counter`` around the process) and CPU time (user + system of the waited-for child,
``resource.getrusage(RUSAGE_CHILDREN)``); the median of the runs is printed. Each ``ask`` asks a
question worded a little differently (a run number), so none is answered from the cache.

Run: .venv/bin/python -m bench.cli [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

ASSISTANT = str(Path(sys.executable).with_name("assistant"))
NOTES = """# Quarterly notes

## Payment terms
Invoices are payable within 30 days of receipt. Late payments incur a fee of 2% per month.

## Office
The Berlin office opens at 9 am and closes at 6 pm on weekdays.
"""
TARGETS = {"assistant --help": 0.3, "assistant docs": 0.6, "assistant ask": 0.8}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one process; fails loudly when the command fails."""
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    return wall, children_cpu() - cpu


def setup(home: Path) -> tuple[dict[str, str], str]:
    """The environment of a private embedded profile, and the id of an ingested small document."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env |= {"ASSISTANT_HOME": str(home / "var"), "COLUMNS": "80"}
    notes = home / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    done = subprocess.run([ASSISTANT, "ingest", str(notes), "--json"], env=env, cwd=home, capture_output=True,
                          text=True, check=True)
    document_id = json.loads(done.stdout)[0]["id"]
    subprocess.run([ASSISTANT, "users", "set-tier", "local@localhost", "enterprise"], env=env, cwd=home,
                   capture_output=True, check=True)
    return env, document_id


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cli", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="Runs per command (the median is printed).")
    runs = parser.parse_args(argv).runs
    with TemporaryDirectory() as tmp:
        home = Path(tmp)
        env, document_id = setup(home)
        commands = {
            "python -c pass": lambda i: [sys.executable, "-c", "pass"],
            "assistant --help": lambda i: [ASSISTANT, "--help"],
            "assistant docs": lambda i: [ASSISTANT, "docs"],
            "assistant ask": lambda i: [ASSISTANT, "ask", document_id[:8],
                                        f"Within how many days are invoices payable (run {i})?"],
        }
        print(f"{runs} runs each, median; whole processes on a temporary embedded profile "
              f"(Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
        print(f"{'command':<20}{'wall s':>9}{'CPU s':>9}{'target s':>10}")
        for name, argv_of in commands.items():
            timed(argv_of(-1), env, home)  # warm: the OS file cache, compiled bytecode
            figures = [timed(argv_of(i), env, home) for i in range(runs)]
            wall = statistics.median(w for w, _ in figures)
            cpu = statistics.median(c for _, c in figures)
            target = TARGETS.get(name)
            verdict = "" if target is None else f"{target:>10.1f}  {'met' if wall <= target else 'MISSED'}"
            print(f"{name:<20}{wall:>9.3f}{cpu:>9.3f}{verdict}")


if __name__ == "__main__":
    main(sys.argv[1:])
