"""A key-value cache with time-to-live (answers, extracted text)."""

from __future__ import annotations

from typing import Protocol


class Cache(Protocol):
    def get(self, key: str) -> bytes | None: ...
    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None: ...
    def delete(self, key: str) -> None: ...
