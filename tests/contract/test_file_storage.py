"""The FileStorage + BlobStore contract, on the fake, the local folder and the encrypting wrapper
around each: the encrypted storage must behave exactly like the plain one to the use cases."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from adapters.storage.encrypted import EncryptedFileStorage
from adapters.storage.key_records import KeyRecords
from adapters.storage.keyring import Keyring
from adapters.storage.local import LocalFileStorage
from tests.fakes import FakeStorage

KEYRING = Keyring.parse(f"k1:{base64.b64encode(os.urandom(32)).decode()}")


def _encrypted(inner: Any, root: Path) -> EncryptedFileStorage:
    return EncryptedFileStorage(inner, KEYRING, KeyRecords(root, KEYRING))


BACKENDS: dict[str, Callable[[Path], Any]] = {
    "fake": lambda root: FakeStorage(),
    "local": lambda root: LocalFileStorage(root / "blobs"),
    "encrypted-fake": lambda root: _encrypted(FakeStorage(), root),
    "encrypted-local": lambda root: _encrypted(LocalFileStorage(root / "blobs"), root / "blobs"),
}


@pytest.fixture(params=sorted(BACKENDS))
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    return BACKENDS[request.param](tmp_path)


def test_round_trip(storage: Any) -> None:
    data = bytes(range(256)) * 100
    key = storage.put(data)
    assert storage.get(key) == data


def test_keys_are_distinct_even_for_equal_data(storage: Any) -> None:
    assert len({storage.put(b"same") for _ in range(20)}) == 20


def test_empty_blob(storage: Any) -> None:
    assert storage.get(storage.put(b"")) == b""


def test_an_unknown_key_is_a_key_error(storage: Any) -> None:
    with pytest.raises(KeyError):
        storage.get("0" * 32)


def test_delete_is_idempotent(storage: Any) -> None:
    key = storage.put(b"x")
    storage.delete(key)
    storage.delete(key)
    storage.delete("f" * 32)
    with pytest.raises(KeyError):
        storage.get(key)


def test_keys_lists_every_blob_and_forgets_deleted_ones(storage: Any) -> None:
    kept = {storage.put(f"file {n}".encode()) for n in range(5)}
    gone = storage.put(b"gone")
    storage.delete(gone)
    assert set(storage.keys()) == kept


def test_inner_write_under_an_existing_key_replaces_it(storage: Any) -> None:
    """BlobStore.write (restores, rotation) on the backend that stores the bytes."""
    store = getattr(storage, "inner", storage)
    key = store.put(b"old")
    store.write(key, b"new")
    assert store.get(key) == b"new" and list(store.keys()) == [key]
