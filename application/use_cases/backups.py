"""``assistant backup PATH`` and ``assistant restore PATH``: the database and the stored files in one
folder, with a manifest of checksums.

A backup folder::

    manifest.json           format, version, when, the database kind and schema revision, and the
                            size and SHA-256 of the dump and of every file
    database.pgdump         pg_dump's custom format (PostgreSQL), or database.sqlite3 (SQLite)
    files/<k[0:2]>/<key>    every stored file as stored: still encrypted when encryption at rest is
                            on (restore needs the same ASSISTANT_STORAGE_KEYS, and the folder leaks
                            nothing without them); the manifest lists the key ids they need, with
                            check values, and a restore refuses keys that cannot read them

The database is dumped first, then the files are copied: a document uploaded meanwhile leaves an
unreferenced file in the backup (harmless), never a document without its file; a file deleted
meanwhile is simply not copied. The manifest is written last, so a folder without one is an
interrupted backup and restore refuses it.

A restore first checks every checksum (nothing is touched when one fails), then refuses a target
that is not empty (any row in the database, or any stored file) unless ``force``; it restores the
database (all or nothing), then writes the files; with ``force`` the stored files absent from the
backup are deleted, so the storage is then the backup's.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import attrs

from application.ports.backup import DatabaseDump
from application.ports.clock import Clock
from application.ports.storage import BlobStore, StorageKeyRecords
from domain.errors import BackupFailed, RestoreRefused

FORMAT = "ai-business-assistant-backup"
VERSION = 1
MANIFEST = "manifest.json"


@attrs.frozen
class BackupSummary:
    path: Path
    database: str
    revision: str | None
    files: int
    bytes: int  # of the dump and the files


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _blob_path(root: Path, key: str) -> Path:
    return root / "files" / key[:2] / key


@attrs.define
class BackUp:
    database: DatabaseDump
    files: BlobStore
    key_records: StorageKeyRecords
    clock: Clock

    def __call__(self, path: Path) -> BackupSummary:
        path = Path(path)
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise BackupFailed(f"{path} exists and is not an empty folder; back up into a new one")
        path.mkdir(parents=True, exist_ok=True)
        dump = path / self.database.filename
        try:
            self.database.dump(dump)
            entries = list(self._copy_files(path))
        except BaseException:  # leave the folder empty again, so the same command can be run again
            dump.unlink(missing_ok=True)
            shutil.rmtree(path / "files", ignore_errors=True)
            raise
        manifest = {
            "format": FORMAT, "version": VERSION, "created_at": self.clock.now().isoformat(),
            "database": {"kind": self.database.kind, "file": dump.name, "revision": self.database.revision(),
                         "bytes": dump.stat().st_size, "sha256": _file_sha256(dump)},
            "files": entries,
            "storage_keys": self.key_records.export(),
        }
        (path / f".{MANIFEST}.partial").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        (path / f".{MANIFEST}.partial").replace(path / MANIFEST)
        return BackupSummary(path=path, database=self.database.kind, revision=manifest["database"]["revision"],
                             files=len(entries), bytes=manifest["database"]["bytes"] + sum(e["bytes"] for e in entries))

    def _copy_files(self, path: Path) -> Iterator[dict[str, object]]:
        for key in self.files.keys():
            try:
                data = self.files.get(key)
            except KeyError:
                continue  # deleted since it was listed
            target = _blob_path(path, key)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            yield {"key": key, "bytes": len(data), "sha256": _sha256(data)}


@attrs.define
class RestoreBackup:
    database: DatabaseDump
    files: BlobStore
    key_records: StorageKeyRecords

    def __call__(self, path: Path, *, force: bool = False) -> BackupSummary:
        path = Path(path)
        manifest = read_manifest(path)
        if manifest["database"]["kind"] != self.database.kind:
            raise RestoreRefused(f"this is a {manifest['database']['kind']} backup; the configured database is "
                                 f"{self.database.kind}")
        verify(path, manifest)
        self.key_records.verify(manifest["storage_keys"])
        if not force:
            if not self.database.is_empty():
                raise RestoreRefused("the configured database is not empty; restore into an empty one, or "
                                     "use --force to replace its contents")
            if next(iter(self.files.keys()), None) is not None:
                raise RestoreRefused("the file storage is not empty; restore into an empty folder, or use "
                                     "--force to replace its contents")
        self.database.restore(path / manifest["database"]["file"])
        restored = {entry["key"] for entry in manifest["files"]}
        for entry in manifest["files"]:
            self.files.write(entry["key"], _blob_path(path, entry["key"]).read_bytes())
        if force:
            for key in [k for k in self.files.keys() if k not in restored]:
                self.files.delete(key)
        self.key_records.adopt(manifest["storage_keys"], replace=force)
        return BackupSummary(path=path, database=self.database.kind, revision=manifest["database"]["revision"],
                             files=len(manifest["files"]),
                             bytes=manifest["database"]["bytes"] + sum(e["bytes"] for e in manifest["files"]))


def read_manifest(path: Path) -> dict:  # type: ignore[type-arg]
    """The manifest of the backup folder ``path``, checked for shape; raises BackupFailed."""
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupFailed(f"{path} has no {MANIFEST}: not a backup, or an interrupted one") from None
    except (OSError, ValueError) as error:
        raise BackupFailed(f"{path / MANIFEST} is unreadable ({type(error).__name__})") from None
    try:
        if manifest["format"] != FORMAT:
            raise BackupFailed(f"{path} is not a backup of this application")
        if manifest["version"] != VERSION:
            raise BackupFailed(f"backup format version {manifest['version']} is not supported by this version")
        database, files = manifest["database"], manifest["files"]
        if not (isinstance(database["file"], str) and "/" not in database["file"] and isinstance(files, list)
                and isinstance(manifest["storage_keys"], dict)):
            raise KeyError("file")
        for entry in files:
            if not (isinstance(entry["key"], str) and entry["key"].isalnum() and isinstance(entry["sha256"], str)):
                raise KeyError("key")
    except (KeyError, TypeError):
        raise BackupFailed(f"{path / MANIFEST} is not a valid backup manifest") from None
    return manifest  # type: ignore[no-any-return]


def verify(path: Path, manifest: dict) -> None:  # type: ignore[type-arg]
    """Every checksum of the manifest, before anything is restored; raises BackupFailed naming the first
    file that is missing or differs."""
    database = manifest["database"]
    checks = [(path / database["file"], database["sha256"])]
    checks += [(_blob_path(path, e["key"]), e["sha256"]) for e in manifest["files"]]
    for file, expected in checks:
        try:
            actual = _file_sha256(file)
        except FileNotFoundError:
            raise BackupFailed(f"the backup is incomplete: {file.relative_to(path)} is missing") from None
        if actual != expected:
            raise BackupFailed(f"the backup is damaged: {file.relative_to(path)} does not match its checksum")
