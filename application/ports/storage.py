"""Blob storage for uploaded files, addressed by keys it generates itself."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Protocol


class FileStorage(Protocol):
    def put(self, data: bytes) -> str:
        """Store ``data`` and return a new opaque key (never derived from a user's filename)."""
        ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None:
        """Delete the blob; a missing key is not an error."""
        ...


class BlobStore(FileStorage, Protocol):
    """A storage backend's blobs as stored (ciphertext when encryption is on), for the operators'
    tools: backups copy them, restores and key rotation write them back under their own keys."""

    def keys(self) -> Iterator[str]:
        """Every stored key, in no particular order (a blob added meanwhile may be missed)."""
        ...
    def write(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` (a key this backend generated), replacing it atomically."""
        ...


class Rotation(enum.Enum):
    ROTATED = "rotated"  # was under an older key, now under the current one
    ENCRYPTED = "encrypted"  # was plaintext (stored before encryption was on), now encrypted
    CURRENT = "current"  # already under the current key: left alone


class KeyRotatingStorage(Protocol):
    """An encrypting storage that can re-encrypt its blobs under its current key."""

    def keys(self) -> Iterator[str]: ...
    def rotate(self, key: str) -> Rotation:
        """Re-encrypt one blob under the current key (atomically; a blob already under it is not
        rewritten). Raises StoredFileUnreadable when the blob cannot be decrypted, KeyError when it
        is gone."""
        ...
    def retire_other_keys(self) -> list[str]:
        """Called after a rotation that left no blob under another key: forget the other keys'
        records, so a later start-up does not ask for them; returns their ids."""
        ...


class StorageKeyRecords(Protocol):
    """The record of which encryption keys this storage's files need (key ids with check values,
    nothing secret): a backup carries it, a restore checks it against the configured keys first."""

    def export(self) -> dict[str, str]: ...
    def verify(self, records: dict[str, str]) -> None:
        """Raise RestoreRefused when the configured keys cannot read files under ``records``."""
        ...
    def adopt(self, records: dict[str, str], *, replace: bool = False) -> None:
        """Add ``records`` to this storage's (``replace``: instead of them)."""
        ...
