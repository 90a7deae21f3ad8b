"""Readiness probe of Redis (queue, shared cache and rate limits live there): one PING."""

from __future__ import annotations

import redis


class RedisProbe:
    name = "redis"

    def __init__(self, url: str) -> None:
        self._client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)

    def check(self) -> None:
        self._client.ping()


def probes_for(database_probe: object, redis_url: str | None) -> list[object]:
    """The probes of this process: the database always, Redis when one is configured."""
    return [database_probe, RedisProbe(redis_url)] if redis_url else [database_probe]
