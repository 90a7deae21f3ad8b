"""Blob storage for uploaded files, addressed by keys it generates itself."""

from __future__ import annotations

from typing import Protocol


class FileStorage(Protocol):
    def put(self, data: bytes) -> str:
        """Store ``data`` and return a new opaque key (never derived from a user's filename)."""
        ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None:
        """Delete the blob; a missing key is not an error."""
        ...
