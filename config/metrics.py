"""Prometheus exposition shared by every process (API, workers, bot), and the small HTTP server
the workers and the bot expose it on (with /healthz and /readyz for their probes).

One process alone: its figures are the default registry's (every family the adapters and shells
define at import: model calls, documents processed, jobs, Telegram errors) plus the API's own
registry (entrypoints/api/metrics.py) plus the collectors read at scrape time (queue depth and
age, free disk of the storage volume).

Several processes on one port (``assistant serve --workers N``, several workers in one pod, the
forking worker class): set PROMETHEUS_MULTIPROC_DIR to an empty directory of their own before they
start (prometheus-client reads it at import). Every process then writes its counters and
histograms to files there, and whichever process is scraped reports the sum over all of them
(prometheus-client's MultiProcessCollector), so a scrape never depends on which process
answered. Empty the directory when the processes restart (an emptyDir volume in Kubernetes).

Labels stay few and bounded: a route template, a method, a status, a backend, a kind, an outcome,
a queue's priority; never a user, a document, a job or a raw path (tests/e2e/test_metrics_processes.py
scrapes every process and checks that no label value looks like an id).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from adapters.metrics.telegram import count_telegram_error  # noqa: F401 - the shells count through config

log = structlog.get_logger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or os.environ.get(MULTIPROC_ENV.lower()) or None


class QueueCollector:
    """``assistant_queue_depth`` and ``assistant_queue_oldest_job_age_seconds`` per queue, read from
    the job queue at scrape time (RQ: two pipelined Redis round trips); nothing when Redis is away
    (the scrape still answers, and the queue-age alert then has no figure rather than a wrong one)."""

    def __init__(self, waiting: Callable[[], dict[str, tuple[int, float | None]]]) -> None:
        self._waiting = waiting

    def collect(self) -> Iterator[Metric]:
        try:
            figures = self._waiting()
        except Exception as error:  # noqa: BLE001 - a scrape never fails for the queue
            log.warning("metrics_queue_unavailable", error=type(error).__name__)
            return
        depth = GaugeMetricFamily("assistant_queue_depth", "Jobs waiting in each queue", labels=["queue"])
        age = GaugeMetricFamily("assistant_queue_oldest_job_age_seconds",
                                "Age of the job waiting longest in each queue (0 when empty)", labels=["queue"])
        for queue, (waiting, oldest) in figures.items():
            depth.add_metric([queue], waiting)
            age.add_metric([queue], oldest or 0.0)
        yield depth
        yield age


class DiskCollector:
    """Free and total bytes of the filesystem holding the stored files (the disk alert)."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)

    def collect(self) -> Iterator[Metric]:
        path = self._path
        while not path.exists() and path != path.parent:  # not created yet: its nearest parent's disk
            path = path.parent
        usage = shutil.disk_usage(path)
        yield GaugeMetricFamily("assistant_storage_free_bytes", "Free bytes on the storage volume", value=usage.free)
        yield GaugeMetricFamily("assistant_storage_size_bytes", "Size in bytes of the storage volume",
                                value=usage.total)


def live_collectors(container: Any) -> list[Collector]:
    """The collectors read at scrape time for this container: the disk of its storage, and the
    queues when they are on RQ (the inline queue has no backlog worth a figure)."""
    settings = container.settings()
    collectors: list[Collector] = [DiskCollector(settings.storage_path or settings.home / "files")]
    if settings.queue_backend == "rq":
        queue = container.queue()
        collectors.append(QueueCollector(queue.waiting))
    return collectors


def exposition(registries: Iterable[CollectorRegistry] = (), collectors: Iterable[Collector] = ()) -> bytes:
    """The text format of this process's figures (see the module's docs for multiprocess mode)."""
    extra = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        extra.register(collector)
    if multiprocess_dir():
        from prometheus_client import multiprocess

        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
        return generate_latest(combined) + generate_latest(extra)
    return b"".join(generate_latest(r) for r in (REGISTRY, *registries, extra))


def mark_process_dead(pid: int | None = None) -> None:
    """At a process's exit in multiprocess mode: its live gauges (workers up) stop counting."""
    if multiprocess_dir():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())


class MetricsServer:
    """/metrics, /healthz (the process answers) and /readyz (``ready()``: database and Redis) on
    ``host:port`` in a daemon thread. ``start`` returns False when the port is taken: another
    process of the same pod serves it (in multiprocess mode with this process's figures too)."""

    def __init__(self, host: str, port: int, *, scrape: Callable[[], bytes],
                 ready: Callable[[], tuple[bool, dict[str, str]]]) -> None:
        self.host, self.port, self._scrape, self._ready = host, port, scrape, ready
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> bool:
        try:
            self._server = ThreadingHTTPServer((self.host, self.port), _handler(self._scrape, self._ready))
        except OSError as error:
            log.warning("metrics_port_unavailable", port=self.port, error=type(error).__name__)
            return False
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="metrics", daemon=True).start()
        log.info("metrics_serving", host=self.host, port=self.port)
        return True

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _handler(scrape: Callable[[], bytes], ready: Callable[[], tuple[bool, dict[str, str]]]) -> type:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._send(200, scrape(), CONTENT_TYPE_LATEST)
            elif path == "/healthz":
                self._send(200, b'{"status":"ok"}', "application/json")
            elif path == "/readyz":
                try:
                    is_ready, checks = ready()
                except Exception:  # noqa: BLE001 - a probe answers, it does not crash
                    is_ready, checks = False, {}
                body = json.dumps({"status": "ready" if is_ready else "unavailable", "checks": checks}).encode()
                self._send(200 if is_ready else 503, body, "application/json")
            else:
                self._send(404, b'{"status":"not found"}', "application/json")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - scrapes are not logged
            pass

    return Handler


def serve_process_metrics(container: Any, port: int | None) -> MetricsServer | None:
    """The worker's or the bot's metrics server on ASSISTANT_METRICS_HOST:``port``, when a port is set."""
    if port is None:
        return None
    collectors = live_collectors(container)
    server = MetricsServer(container.settings().metrics_host, port,
                           scrape=lambda: exposition(collectors=collectors), ready=lambda: readiness(container))
    return server if server.start() else None


def readiness(container: Any) -> tuple[bool, dict[str, str]]:
    """``MetricsServer``'s ``ready``: CheckReadiness (database, Redis) as (ready, checks)."""
    result = container.check_readiness()()
    return result.ready, result.checks
