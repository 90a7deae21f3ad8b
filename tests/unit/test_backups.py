"""BackUp and RestoreBackup on fakes: the folder's manifest and checksums, refusals before anything
is touched, and --force replacing the target."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from application.use_cases.backups import MANIFEST, BackUp, RestoreBackup
from domain.errors import BackupFailed, RestoreRefused
from tests.fakes import FakeClock, FakeStorage


@attrs.define
class FakeDatabase:
    """A 'database' whose whole content is one bytes value."""

    content: bytes = b""
    kind: str = "sqlite"
    filename: str = "database.sqlite3"

    def dump(self, target: Path) -> None:
        target.write_bytes(self.content)

    def is_empty(self) -> bool:
        return not self.content

    def restore(self, source: Path) -> None:
        self.content = source.read_bytes()

    def revision(self) -> str | None:
        return "0008"


@attrs.define
class FakeKeyRecords:
    records: dict[str, str] = attrs.Factory(dict)
    refuse: bool = False

    def export(self) -> dict[str, str]:
        return dict(self.records)

    def verify(self, records: dict[str, str]) -> None:
        if self.refuse:
            raise RestoreRefused("keys missing")

    def adopt(self, records: dict[str, str], *, replace: bool = False) -> None:
        self.records = dict(records) if replace else {**self.records, **records}


@pytest.fixture
def backed_up(tmp_path: Path) -> tuple[Path, FakeStorage]:
    files = FakeStorage()
    for n in range(3):
        files.put(f"file {n}".encode())
    summary = BackUp(FakeDatabase(b"rows"), files, FakeKeyRecords({"k1": "check"}), FakeClock())(tmp_path / "b")
    assert (summary.files, summary.bytes, summary.revision) == (3, 4 + 3 * 6, "0008")
    return tmp_path / "b", files


def test_a_backup_holds_the_dump_every_file_and_their_checksums(backed_up: tuple[Path, FakeStorage]) -> None:
    path, files = backed_up
    manifest = json.loads((path / MANIFEST).read_text())
    assert manifest["database"]["kind"] == "sqlite" and (path / "database.sqlite3").read_bytes() == b"rows"
    assert sorted(e["key"] for e in manifest["files"]) == sorted(files.blobs)
    assert manifest["storage_keys"] == {"k1": "check"} and manifest["created_at"].startswith("2026-01-05")
    assert not list(path.glob(".*partial"))


def test_restore_into_an_empty_target_brings_everything_back(backed_up: tuple[Path, FakeStorage]) -> None:
    path, files = backed_up
    database, target, records = FakeDatabase(), FakeStorage(), FakeKeyRecords()
    RestoreBackup(database, target, records)(path)
    assert database.content == b"rows" and target.blobs == files.blobs and records.records == {"k1": "check"}


def test_a_non_empty_target_is_refused_unless_forced(backed_up: tuple[Path, FakeStorage]) -> None:
    path, files = backed_up
    with pytest.raises(RestoreRefused, match="database is not empty"):
        RestoreBackup(FakeDatabase(b"other rows"), FakeStorage(), FakeKeyRecords())(path)
    crowded = FakeStorage()
    stray = crowded.put(b"stray")
    with pytest.raises(RestoreRefused, match="file storage is not empty"):
        RestoreBackup(FakeDatabase(), crowded, FakeKeyRecords())(path)
    assert list(crowded.blobs) == [stray]

    database, records = FakeDatabase(b"other rows"), FakeKeyRecords({"old": "x"})
    RestoreBackup(database, crowded, records)(path, force=True)
    assert database.content == b"rows" and crowded.blobs == files.blobs  # the stray file is gone
    assert records.records == {"k1": "check"}


def test_a_damaged_or_incomplete_backup_is_refused_before_anything_is_touched(
        backed_up: tuple[Path, FakeStorage]) -> None:
    path, files = backed_up
    victim = next(iter(files.blobs))
    blob = path / "files" / victim[:2] / victim
    blob.write_bytes(b"file X")
    database = FakeDatabase(b"other rows")
    with pytest.raises(BackupFailed, match=f"files/{victim[:2]}/{victim} does not match its checksum"):
        RestoreBackup(database, FakeStorage(), FakeKeyRecords())(path, force=True)
    blob.unlink()
    with pytest.raises(BackupFailed, match="incomplete"):
        RestoreBackup(database, FakeStorage(), FakeKeyRecords())(path, force=True)
    assert database.content == b"other rows"
    (path / MANIFEST).unlink()
    with pytest.raises(BackupFailed, match="no manifest.json"):
        RestoreBackup(database, FakeStorage(), FakeKeyRecords())(path)


def test_keys_that_cannot_read_the_files_and_another_database_kind_are_refused_first(
        backed_up: tuple[Path, FakeStorage]) -> None:
    path, _ = backed_up
    database, target = FakeDatabase(), FakeStorage()
    with pytest.raises(RestoreRefused, match="keys missing"):
        RestoreBackup(database, target, FakeKeyRecords(refuse=True))(path)
    with pytest.raises(RestoreRefused, match="this is a sqlite backup; the configured database is postgresql"):
        RestoreBackup(FakeDatabase(kind="postgresql"), target, FakeKeyRecords())(path)
    assert database.content == b"" and not target.blobs


def test_a_backup_goes_only_into_a_new_or_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(BackupFailed, match="not an empty folder"):
        BackUp(FakeDatabase(b"rows"), FakeStorage(), FakeKeyRecords(), FakeClock())(tmp_path / "used")
    (tmp_path / "empty").mkdir()
    BackUp(FakeDatabase(b"rows"), FakeStorage(), FakeKeyRecords(), FakeClock())(tmp_path / "empty")
    assert (tmp_path / "empty" / MANIFEST).exists()


def test_a_failed_backup_leaves_the_folder_empty_for_another_try(tmp_path: Path) -> None:
    class BrokenFiles(FakeStorage):
        def get(self, key: str) -> bytes:
            raise OSError("disk gone")

    files = BrokenFiles()
    files.put(b"x")
    with pytest.raises(OSError):
        BackUp(FakeDatabase(b"rows"), files, FakeKeyRecords(), FakeClock())(tmp_path / "b")
    assert list((tmp_path / "b").iterdir()) == []
    BackUp(FakeDatabase(b"rows"), FakeStorage(), FakeKeyRecords(), FakeClock())(tmp_path / "b")
