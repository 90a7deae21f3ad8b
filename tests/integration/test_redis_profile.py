"""The production profile: ASSISTANT_REDIS_URL (with ASSISTANT_DATABASE_URL) is all it takes, and
the container then serves RQ, the layered cache and the Redis rate limiter."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.bootstrap import build_container
from config.errors import ConfigError
from config.settings import load_settings
from domain.tiers import QueuePriority


@pytest.fixture(autouse=True)
def isolated(isolated_settings: Path) -> Path:
    return isolated_settings


def test_a_redis_url_switches_queue_cache_and_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = load_settings()
    assert (settings.queue_backend, settings.cache_backend, settings.ratelimit_backend) == ("rq", "redis", "redis")
    monkeypatch.setenv("ASSISTANT_CACHE_BACKEND", "memory")  # an explicit choice wins
    assert load_settings().cache_backend == "memory"


@pytest.mark.parametrize("name", ["ASSISTANT_CACHE_BACKEND", "ASSISTANT_RATELIMIT_BACKEND"])
def test_redis_backends_need_the_url(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, "redis")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert "ASSISTANT_REDIS_URL" in error.value.message


def test_the_container_serves_the_redis_adapters(redis_server_url: str, redis_prefix: str) -> None:
    container = build_container(redis_url=redis_server_url, redis_prefix=redis_prefix, job_retries=3,
                                job_retry_delay=5)
    queue = container.queue()
    assert type(queue).__name__ == "RqJobQueue" and queue.queue_name(QueuePriority.HIGH) == f"{redis_prefix}high"
    assert queue._delays == [5, 10, 20]  # noqa: SLF001
    assert queue._timeouts == {QueuePriority.LOW: 600, QueuePriority.DEFAULT: 1200,  # noqa: SLF001
                               QueuePriority.HIGH: 4200}
    assert type(container.cache()).__name__ == "LayeredCache"
    assert type(container.limiter()).__name__ == "RedisRateLimiter"
    assert type(container.worker_runner()).__name__ == "RqWorkerRunner"
    container.cache().close()
    container.engine().dispose()
