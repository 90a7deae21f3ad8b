"""Prometheus metrics of the API process: request latency by route, questions, tokens, cache hits.

Who may read them (the per-route latencies tell an outsider much about the service):
- ASSISTANT_METRICS_PORT set: they are served on that port, bound to ASSISTANT_METRICS_HOST (127.0.0.1),
  and not on the API's;
- ASSISTANT_METRICS_TOKEN set: /metrics wants ``Authorization: Bearer <token>`` (401 otherwise);
- neither, in development: /metrics is open (the API listens on 127.0.0.1 by default);
- neither, in production: there is no /metrics (404), and a warning says how to turn it on.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

import structlog
from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.registry import Collector

from config.metrics import MetricsServer, exposition

from domain.errors import InvalidCredentials

from domain.conversations import Conversation


class Metrics:
    """One registry per application, so several apps in one process (tests) do not collide."""

    def __init__(self, collectors: list[Collector] | None = None) -> None:
        self.registry = CollectorRegistry()
        self.collectors = collectors or []  # read at scrape time: queues, disk (config/metrics.py)
        self.requests = Histogram("assistant_http_request_seconds", "HTTP request latency by route",
                                  ["method", "route", "status"], registry=self.registry,
                                  buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.questions = Counter("assistant_questions_total", "Questions answered", ["model", "cached"],
                                 registry=self.registry)
        self.tokens = Counter("assistant_tokens_total", "Language-model tokens", ["model", "direction"],
                              registry=self.registry)
        self.answer_seconds = Histogram("assistant_answer_seconds", "Time to answer a question", ["cached"],
                                        registry=self.registry,  # up to minutes: a model's answer can take them
                                        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30,
                                                 60, 120))

    def scrape(self) -> bytes:
        """This app's families, the process-wide ones (model calls, documents, ...) and the live
        collectors; in multiprocess mode the sum over every process (config/metrics.py)."""
        return exposition([self.registry], self.collectors)

    def observe_answer(self, conversation: Conversation) -> None:
        cached = "true" if conversation.cached else "false"
        self.questions.labels(conversation.model, cached).inc()
        self.tokens.labels(conversation.model, "in").inc(conversation.tokens_in)
        self.tokens.labels(conversation.model, "out").inc(conversation.tokens_out)
        self.answer_seconds.labels(cached).observe(conversation.latency_ms / 1000)


log = structlog.get_logger(__name__)


def install(app: FastAPI, *, token: str | None, port: int | None, production: bool,
            collectors: list[Collector] | None = None) -> Metrics:
    """The registry and who may read it (see the module's docs); requests are timed by
    entrypoints.api.middleware. The separate port is opened by ``serve_on_port`` at start-up."""
    metrics = Metrics(collectors)
    app.state.metrics = metrics
    if port is not None:
        return metrics
    if token is None and production:
        log.warning("metrics_disabled", hint="set ASSISTANT_METRICS_TOKEN or ASSISTANT_METRICS_PORT to expose /metrics")
        return metrics
    expected = f"Bearer {token}".encode() if token else None

    @app.get("/metrics", include_in_schema=False)
    def scrape(request: Request) -> Response:
        if expected is not None and not hmac.compare_digest(
                request.headers.get("authorization", "").encode("latin-1", "replace"), expected):
            raise InvalidCredentials("The metrics need 'Authorization: Bearer <ASSISTANT_METRICS_TOKEN>'.")
        return Response(metrics.scrape(), media_type=CONTENT_TYPE_LATEST)

    return metrics


def serve_on_port(metrics: Metrics, port: int | None, host: str = "127.0.0.1",
                  ready: Callable[[], tuple[bool, dict[str, str]]] = lambda: (True, {})) -> Callable[[], None]:
    """The metrics on ``host``:``port`` (ASSISTANT_METRICS_HOST, 127.0.0.1 by default) in a thread of
    this process. With several API worker processes only the first to bind serves: its own figures,
    or every process's with PROMETHEUS_MULTIPROC_DIR (config/metrics.py; a warning in the others)."""
    if port is None:
        return lambda: None
    server = MetricsServer(host, port, scrape=metrics.scrape, ready=ready)
    return server.stop if server.start() else (lambda: None)
