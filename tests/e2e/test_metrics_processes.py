"""Metrics of every process, scraped from real ones: `assistant serve`, `assistant worker` and
`assistant bot` (against the fake Bot API), sharing Redis queues and one home, after a document was
uploaded, processed and asked about and the bot met a Telegram error. Every metric an alert rule or
a dashboard reads is exported by one of them, no label value is an id, and the worker's and the
bot's ports answer the probes (/healthz, /readyz). Then multiprocess mode: two worker processes
sharing PROMETHEUS_MULTIPROC_DIR report the sum of their jobs on one port."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.api_server import run_server
from tests.e2e.bot_api_server import FakeBotApi
from tests.e2e.conftest import ASSISTANT, NOTES, clean_env, stop, wait_until
from tests.promql import dashboard_expressions, metric_names, rule_expressions
from tests.redis_process import free_port

Samples = dict[str, list[tuple[dict[str, str], float]]]  # sample name -> (labels, value)

ID_LIKE = (re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE),  # UUID
           re.compile(r"\b[0-9a-f]{16,}\b", re.IGNORECASE),  # a hash, a job or request id
           re.compile(r"\d{5,}"),  # a Telegram user, a chat
           re.compile(r"/\d+(/|$)"))  # a path with a numeric id
ALLOWED_LABEL_NAMES = {"method", "route", "status", "model", "cached", "direction", "backend", "role", "outcome",
                       "kind", "queue", "error", "le", "quantile", "version", "implementation", "major", "minor",
                       "patchlevel", "generation"}


def scrape(url: str) -> Samples:
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200, response.text
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return sum(v for found, v in samples.get(name, []) if labels.items() <= found.items())


def spawn(home: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(ASSISTANT), *args], cwd=home, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@contextlib.contextmanager
def running(process: subprocess.Popen[str], how: signal.Signals = signal.SIGTERM) -> Iterator[subprocess.Popen[str]]:
    try:
        yield process
    finally:
        err = stop(process, how, timeout=60)
        assert "Traceback" not in err, err


def test_every_metric_of_the_rules_and_dashboards_is_exported_by_a_running_process(
        tmp_path: Path, api: FakeBotApi, redis_server_url: str, redis_prefix: str) -> None:
    ports = {"api": free_port(), "worker": free_port(), "bot": free_port()}
    shared = {"ASSISTANT_QUEUE_BACKEND": "rq", "ASSISTANT_REDIS_URL": redis_server_url,
              "ASSISTANT_REDIS_PREFIX": redis_prefix, "ASSISTANT_EMBEDDING_BACKEND": "none"}
    env = {**clean_env(tmp_path), **shared, "ASSISTANT_TELEGRAM_TOKEN": api.token,
           "ASSISTANT_TELEGRAM_API_BASE_URL": api.url}
    api.fail_next["sendMessage"] = 1  # the bot's first reply meets a 429 (RetryAfter)
    api.updates.append({"update_id": 1, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "from": {"id": 4242001, "is_bot": False, "first_name": "Ann", "language_code": "en"},
        "chat": {"id": 4242001, "type": "private"}}})
    with contextlib.contextmanager(run_server)(tmp_path, {**shared, "ASSISTANT_METRICS_PORT": str(ports["api"])}) as server, \
            running(spawn(tmp_path, {**env, "ASSISTANT_WORKER_METRICS_PORT": str(ports["worker"])}, "worker")), \
            running(spawn(tmp_path, {**env, "ASSISTANT_BOT_METRICS_PORT": str(ports["bot"])}, "bot"), signal.SIGINT):
        for name in ("worker", "bot"):
            assert wait_until(lambda: answers(f"http://127.0.0.1:{ports[name]}/healthz"), 60), name
        user = server.register()
        document = server.processed(user, "notes.md", NOTES.encode(), timeout=60)
        assert document["status"] == "completed"
        asked = user.post(f"/api/v1/documents/{document['id']}/query", json={"question": "When are invoices payable?"})
        assert asked.status_code == 200, asked.text
        api.wait_for(lambda text: "Hello" in text or "document" in text.lower())
        assert wait_until(lambda: value(scrape(f"http://127.0.0.1:{ports['bot']}/metrics"),
                                        "assistant_telegram_api_errors_total", error="retry_after") == 1, 30)
        scraped = {name: scrape(f"http://127.0.0.1:{port}/metrics") for name, port in ports.items()}
        probes = {name: httpx.get(f"http://127.0.0.1:{ports[name]}/readyz", timeout=10) for name in ("worker", "bot")}
        user.close()

    exported = {name for samples in scraped.values() for name in samples}
    used = {name for expr in {**rule_expressions(), **dashboard_expressions()}.values() for name in metric_names(expr)}
    assert used, "no metric found in the rules and dashboards"
    assert used <= exported, f"read by a rule or dashboard but exported by no process: {sorted(used - exported)}"

    api_figures, worker, bot = scraped["api"], scraped["worker"], scraped["bot"]
    assert value(api_figures, "assistant_http_request_seconds_count", route="/api/v1/documents/{document_id}/query",
                 status="200") == 1
    assert value(api_figures, "assistant_model_calls_total", backend="offline", role="primary", outcome="ok") >= 1
    assert value(worker, "assistant_documents_processed_total", kind="markdown", status="completed") == 1
    assert value(worker, "assistant_job_seconds_count", outcome="ok") == 1
    assert value(worker, "assistant_worker_processes") == 1
    for figures in (api_figures, worker):
        assert {labels["queue"] for labels, _ in figures["assistant_queue_depth"]} == {"high", "default", "low"}
        assert value(figures, "assistant_storage_free_bytes") > 0
    assert value(bot, "assistant_telegram_api_errors_total", error="retry_after") == 1
    assert value(bot, "assistant_telegram_api_errors_total", error="forbidden") == 0  # every kind from the start
    for name, response in probes.items():
        assert response.status_code == 200 and response.json()["status"] == "ready", (name, response.text)
        assert response.json()["checks"]["database"] == "ok"

    for process, samples in scraped.items():
        for name, series in samples.items():
            for labels, _ in series:
                assert set(labels) <= ALLOWED_LABEL_NAMES, (process, name, labels)
                for label, text in labels.items():
                    if label == "le":
                        continue
                    assert not any(p.search(text) for p in ID_LIKE), (process, name, label, text)


def test_worker_processes_sharing_a_multiprocess_directory_report_their_sum(
        tmp_path: Path, redis_server_url: str, redis_prefix: str) -> None:
    """The first worker processes a document and exits; the second, on the metrics port, processes
    another: the port reports both jobs (the sum over the directory's files) and one live worker."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    port = free_port()
    env = {**clean_env(tmp_path), "ASSISTANT_QUEUE_BACKEND": "rq", "ASSISTANT_REDIS_URL": redis_server_url,
           "ASSISTANT_REDIS_PREFIX": redis_prefix, "ASSISTANT_EMBEDDING_BACKEND": "none",
           "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    cli = lambda *args: subprocess.run([str(ASSISTANT), *args], cwd=tmp_path, env=env, capture_output=True,  # noqa: E731
                                       text=True, timeout=120)
    first_file, second_file = tmp_path / "notes.md", tmp_path / "more-notes.md"
    first_file.write_text(NOTES)
    second_file.write_text(NOTES.replace("Berlin", "Munich"))
    assert cli("ingest", "--no-wait", str(first_file)).returncode == 0
    first = cli("worker", "--burst")
    assert first.returncode == 0, first.stderr
    assert cli("ingest", "--no-wait", str(second_file)).returncode == 0
    with running(spawn(tmp_path, {**env, "ASSISTANT_WORKER_METRICS_PORT": str(port)}, "worker")):
        url = f"http://127.0.0.1:{port}/metrics"
        assert wait_until(lambda: answers(url) and value(scrape(url), "assistant_job_seconds_count") >= 2, 90)
        figures = scrape(url)
    assert len({p.name.rsplit("_", 1)[-1] for p in folder.glob("histogram_*.db")}) == 2  # two processes wrote
    assert value(figures, "assistant_job_seconds_count", outcome="ok") == 2
    assert value(figures, "assistant_worker_processes") == 1  # the first has exited: not counted (livesum)
    assert value(figures, "assistant_documents_processed_total", kind="markdown", status="completed") == 2
