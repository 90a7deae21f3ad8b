"""Blobs in a local folder, addressed by keys the adapter generates (uuid4 hex).

A blob lives at ``<root>/<k[0:2]>/<k[2:4]>/<k>``. Keys are checked against a strict 32-hex
pattern before any path is built, so a crafted key ("../../etc/passwd") cannot leave the root.
Writes go to a temporary file in the target folder, are flushed to disk, then ``os.replace``d
into place: a reader never sees a half-written blob. ``keys`` and ``write`` serve the operators'
tools (backups, restores, key rotation: application/ports/storage.py BlobStore); other files in the
root (the encryption key records, temporary files) are not blobs and are never listed.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

_KEY_RE = re.compile(r"[0-9a-f]{32}")
_SHARD_RE = re.compile(r"[0-9a-f]{2}")


class LocalFileStorage:
    """Implements application.ports.storage.FileStorage and BlobStore."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes) -> str:
        key = uuid.uuid4().hex
        self.write(key, data)
        return key

    def write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        """Raise KeyError for a malformed or unknown key."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def delete(self, key: str) -> None:
        """Delete the blob; a missing blob is not an error (a malformed key still is)."""
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        for first in sorted(self._shards(self.root)):
            for second in sorted(self._shards(first)):
                for path in sorted(second.iterdir()):
                    if _KEY_RE.fullmatch(path.name) and path.name[:2] == first.name \
                            and path.name[2:4] == second.name and path.is_file():
                        yield path.name

    @staticmethod
    def _shards(folder: Path) -> list[Path]:
        return [p for p in folder.iterdir() if _SHARD_RE.fullmatch(p.name) and p.is_dir()]

    def _path(self, key: str) -> Path:
        if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
            raise KeyError(f"invalid storage key: {key!r}")
        return self.root / key[:2] / key[2:4] / key
