"""Readiness probes against the real services: the database always, Redis when configured."""

from __future__ import annotations

from pathlib import Path

from adapters.cache.health import RedisProbe
from config.bootstrap import build_container
from tests.redis_process import free_port


def test_embedded_profile_probes_the_database_only(isolated_settings: Path) -> None:
    readiness = build_container().check_readiness()()
    assert readiness.ready and readiness.checks == {"database": "ok"}


def test_redis_is_probed_when_configured_and_a_dead_one_makes_the_process_unready(
    isolated_settings: Path, redis_server_url: str
) -> None:
    url = redis_server_url
    ready = build_container(redis_url=url, queue_backend="inline").check_readiness()()
    assert ready.checks == {"database": "ok", "redis": "ok"}
    dead = build_container(redis_url=f"redis://127.0.0.1:{free_port()}/0", queue_backend="inline")
    readiness = dead.check_readiness()()
    assert not readiness.ready and readiness.checks["redis"].startswith("unavailable")
    RedisProbe(url).check()
