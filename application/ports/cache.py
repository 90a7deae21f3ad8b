"""A key-value cache with time-to-live (answers, extracted text)."""

from __future__ import annotations

from typing import Protocol

from application.errors import TransientError
from domain.errors import ServiceUnavailable


class CacheUnavailable(TransientError, ServiceUnavailable):
    """The shared cache cannot be reached (a layered cache treats it as a miss instead)."""


class Cache(Protocol):
    def get(self, key: str) -> bytes | None: ...
    def get_local(self, key: str) -> bytes | None:
        """The value when this process holds it, with no I/O (None: not here, ask ``get``). Lets
        code on an event loop skip a thread for what an in-process layer already has."""
        ...
    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None: ...
    def add(self, key: str, value: bytes, *, ttl_seconds: int) -> bool:
        """Store ``value`` only if the key holds nothing; True when this call stored it (of callers
        racing, in any process sharing the cache, exactly one gets True)."""
        ...
    def delete(self, key: str) -> None: ...
