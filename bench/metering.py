"""What the Prometheus metering costs: per document job (its duration histogram and the documents
counter), per language-model call (MeteredLanguageModel around a model that answers at once) and
per scrape (the exposition), each against a baseline in the same run: the same loop without the
metering. Single-process mode in this process, multiprocess mode (PROMETHEUS_MULTIPROC_DIR, read by
prometheus-client at import) in a child process. Prints wall and CPU time per operation.

Run: .venv/bin/python -m bench.metering [--operations N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable


def _timed(operation: Callable[[], object], count: int) -> tuple[float, float]:
    """Wall and CPU microseconds per call."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        operation()
    return (time.perf_counter() - wall) / count * 1e6, (time.process_time() - cpu) / count * 1e6


def measure(count: int) -> dict[str, tuple[float, float]]:
    from adapters.metrics.language_model import MeteredLanguageModel
    from adapters.metrics.notifier import DOCUMENTS
    from application.ports.language_model import AnswerRequest, Completion
    from config.metrics import exposition
    from entrypoints.worker.metrics import JOB_SECONDS

    class Instant:
        name = "instant"

        def complete(self, request: AnswerRequest) -> Completion:
            return Completion(text="", tokens_in=1, tokens_out=1, model="instant")

    request = AnswerRequest(system="", question="q", sources=())
    bare, metered = Instant(), MeteredLanguageModel(Instant(), backend="offline", primary=True)

    def job_baseline() -> None:
        started = time.perf_counter()
        time.perf_counter() - started  # noqa: B018 - what the metered job computes, without recording it

    def job_metered() -> None:
        started = time.perf_counter()
        JOB_SECONDS.labels("ok").observe(time.perf_counter() - started)
        DOCUMENTS.labels("pdf", "completed").inc()

    return {"job: baseline": _timed(job_baseline, count), "job: metered": _timed(job_metered, count),
            "model call: baseline": _timed(lambda: bare.complete(request), count),
            "model call: metered": _timed(lambda: metered.complete(request), count),
            "scrape": _timed(exposition, max(1, count // 1000))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=200_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.operations)))
        return
    rows = {"single process": measure(args.operations)}
    with tempfile.TemporaryDirectory(prefix="bench-metering-") as folder:
        child = subprocess.run([sys.executable, "-m", "bench.metering", "--child", "--operations", str(args.operations)],
                               env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": folder}, capture_output=True, text=True,
                               check=True)
        rows["multiprocess"] = {k: tuple(v) for k, v in json.loads(child.stdout).items()}
    print(f"{'mode':<16}{'operation':<24}{'wall us':>10}{'CPU us':>10}")
    for mode, figures in rows.items():
        for name, (wall, cpu) in figures.items():
            print(f"{mode:<16}{name:<24}{wall:>10.2f}{cpu:>10.2f}")
        for what in ("job", "model call"):
            extra = figures[f"{what}: metered"][1] - figures[f"{what}: baseline"][1]
            print(f"{mode:<16}{what + ': metering adds':<24}{'':>10}{extra:>10.2f}")


if __name__ == "__main__":
    main()
