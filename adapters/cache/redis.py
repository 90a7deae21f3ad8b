"""The shared L2 cache: plain Redis strings with a TTL, under a key prefix.

Connection and timeout errors become CacheUnavailable (a ServiceUnavailable), never a traceback."""

from __future__ import annotations

import redis

from application.ports.cache import CacheUnavailable

UNAVAILABLE = "The answer cache is unavailable right now; try again shortly."

REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError)
INVALIDATIONS = "cache-invalidations"  # channel (under the prefix) on which deletions are announced


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2, health_check_interval=15)


class RedisCache:
    """Implements application.ports.cache.Cache; ``delete`` also announces the key to every process."""

    def __init__(self, client: redis.Redis, prefix: str = "assistant:") -> None:
        self.client = client
        self.prefix = f"{prefix}cache:"
        self.channel = f"{prefix}{INVALIDATIONS}"

    def get_local(self, key: str) -> bytes | None:
        return None  # every value is in Redis

    def get(self, key: str) -> bytes | None:
        try:
            return self.client.get(self.prefix + key)
        except REDIS_ERRORS as error:
            raise CacheUnavailable(UNAVAILABLE, service="cache", reason=str(error)) from error

    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None:
        try:
            if ttl_seconds <= 0:
                self.client.delete(self.prefix + key)
            else:
                self.client.set(self.prefix + key, value, ex=ttl_seconds)
        except REDIS_ERRORS as error:
            raise CacheUnavailable(UNAVAILABLE, service="cache", reason=str(error)) from error

    def add(self, key: str, value: bytes, *, ttl_seconds: int) -> bool:
        """SET NX: atomic in Redis, so one caller of all processes stores it."""
        if ttl_seconds <= 0:
            return False
        try:
            return bool(self.client.set(self.prefix + key, value, ex=ttl_seconds, nx=True))
        except REDIS_ERRORS as error:
            raise CacheUnavailable(UNAVAILABLE, service="cache", reason=str(error)) from error

    def delete(self, key: str) -> None:
        try:
            with self.client.pipeline() as pipe:
                pipe.delete(self.prefix + key).publish(self.channel, key.encode())
                pipe.execute()
        except REDIS_ERRORS as error:
            raise CacheUnavailable(UNAVAILABLE, service="cache", reason=str(error)) from error
