"""Prometheus metrics of the API process: request latency by route, questions, tokens, cache hits."""

from __future__ import annotations

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

from domain.conversations import Conversation


class Metrics:
    """One registry per application, so several apps in one process (tests) do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Histogram("assistant_http_request_seconds", "HTTP request latency by route",
                                  ["method", "route", "status"], registry=self.registry,
                                  buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.questions = Counter("assistant_questions_total", "Questions answered", ["model", "cached"],
                                 registry=self.registry)
        self.tokens = Counter("assistant_tokens_total", "Language-model tokens", ["model", "direction"],
                              registry=self.registry)
        self.answer_seconds = Histogram("assistant_answer_seconds", "Time to answer a question", ["cached"],
                                        registry=self.registry)

    def observe_answer(self, conversation: Conversation) -> None:
        cached = "true" if conversation.cached else "false"
        self.questions.labels(conversation.model, cached).inc()
        self.tokens.labels(conversation.model, "in").inc(conversation.tokens_in)
        self.tokens.labels(conversation.model, "out").inc(conversation.tokens_out)
        self.answer_seconds.labels(cached).observe(conversation.latency_ms / 1000)


def install(app: FastAPI) -> Metrics:
    """The registry and its /metrics route; requests are timed by entrypoints.api.middleware."""
    metrics = Metrics()
    app.state.metrics = metrics

    @app.get("/metrics", include_in_schema=False)
    def scrape() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return metrics
