import re
from pathlib import Path

import pytest

from adapters.storage.local import LocalFileStorage


@pytest.fixture
def storage(tmp_path: Path) -> LocalFileStorage:
    return LocalFileStorage(tmp_path / "blobs")


def test_round_trip_in_sharded_folders(storage: LocalFileStorage) -> None:
    data = bytes(range(256)) * 100
    key = storage.put(data)
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert storage.get(key) == data
    assert (storage.root / key[:2] / key[2:4] / key).read_bytes() == data
    assert not [p for p in storage.root.rglob(".tmp-*")], "no temporary file is left behind"


def test_keys_are_distinct_even_for_equal_data(storage: LocalFileStorage) -> None:
    keys = {storage.put(b"same") for _ in range(20)}
    assert len(keys) == 20


def test_empty_blob(storage: LocalFileStorage) -> None:
    assert storage.get(storage.put(b"")) == b""


@pytest.mark.parametrize("key", [
    "../../../etc/passwd", "..", "/etc/passwd", "ab/cd/" + "0" * 32, "0" * 31, "0" * 33, "G" * 32,
    "A" * 32, "0" * 32 + "\n", "0" * 16 + "/" + "0" * 15, "", "0" * 32 + "/../x",
])
def test_malformed_keys_are_rejected(storage: LocalFileStorage, tmp_path: Path, key: str) -> None:
    (tmp_path / "secret").write_bytes(b"secret")
    with pytest.raises((KeyError, ValueError)):
        storage.get(key)
    with pytest.raises((KeyError, ValueError)):
        storage.delete(key)
    assert (tmp_path / "secret").exists()


def test_missing_key(storage: LocalFileStorage) -> None:
    with pytest.raises(KeyError):
        storage.get("0" * 32)


def test_delete_is_idempotent(storage: LocalFileStorage) -> None:
    key = storage.put(b"x")
    storage.delete(key)
    storage.delete(key)
    storage.delete("f" * 32)
    with pytest.raises(KeyError):
        storage.get(key)
