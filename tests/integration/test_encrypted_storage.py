"""Encryption at rest: files are ciphertext on disk, an altered file is refused (GCM tags), a missing
or wrong key is a clear error, files stored before encryption still read, rotation re-encrypts."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from adapters.storage.encrypted import MAGIC, EncryptedFileStorage, key_id_of
from adapters.storage.key_records import FILENAME, KeyRecords, StorageKeysMismatch
from adapters.storage.keyring import Keyring, KeyringError
from adapters.storage.local import LocalFileStorage
from application.use_cases.rotate_storage_key import RotateStorageKey
from domain.errors import StoredFileUnreadable

SECRET = b"Invoices are payable within 30 days. Account 4400-1234."


def entry(key_id: str, key: bytes | None = None) -> str:
    return f"{key_id}:{base64.b64encode(key or os.urandom(32)).decode()}"


K1, K2 = entry("k1"), entry("k2")


@pytest.fixture
def local(tmp_path: Path) -> LocalFileStorage:
    return LocalFileStorage(tmp_path / "files")


def encrypted(local: LocalFileStorage, keys: str) -> EncryptedFileStorage:
    keyring = Keyring.parse(keys)
    return EncryptedFileStorage(local, keyring, KeyRecords(local.root, keyring))


def test_files_are_ciphertext_on_disk_naming_their_key(local: LocalFileStorage) -> None:
    storage = encrypted(local, K1)
    key = storage.put(SECRET)
    raw = local.get(key)
    assert raw.startswith(MAGIC) and key_id_of(raw) == "k1"
    assert SECRET not in raw and b"30 days" not in raw
    assert len(raw) == len(SECRET) + len(MAGIC) + 2 + 2 + 60 + 12 + 16
    assert storage.put(SECRET) != key and local.get(storage.put(SECRET)) != raw  # fresh data key and nonce


@pytest.mark.parametrize("where", ["version", "key id", "wrapped key", "nonce", "body", "tag"])
def test_a_tampered_file_is_refused_not_decrypted(local: LocalFileStorage, where: str) -> None:
    storage = encrypted(local, f"{K1},{entry('k0')}")
    key = storage.put(SECRET)
    raw = bytearray(local.get(key))
    header = len(MAGIC) + 2 + 2
    offset = {"version": len(MAGIC), "key id": len(MAGIC) + 3, "wrapped key": header + 20,
              "nonce": header + 60 + 3, "body": header + 72 + 5, "tag": len(raw) - 1}[where]
    raw[offset] ^= 0x01 if where != "key id" else ord("1") ^ ord("0")  # "k1" -> "k0": a configured key
    local.write(key, bytes(raw))
    with pytest.raises(StoredFileUnreadable) as refused:
        storage.get(key)
    assert refused.value.code == "stored_file_unreadable"
    assert SECRET.decode() not in refused.value.message


def test_a_truncated_file_and_a_swapped_body_are_refused(local: LocalFileStorage) -> None:
    storage = encrypted(local, K1)
    first, second = storage.put(SECRET), storage.put(b"other file of the same length as the secret text!!!!!")
    raw = local.get(first)
    local.write(first, raw[:-20])
    with pytest.raises(StoredFileUnreadable, match="integrity"):
        storage.get(first)
    header = len(MAGIC) + 4 + 72
    local.write(first, raw[:header] + local.get(second)[header:])  # another file's body under this header
    with pytest.raises(StoredFileUnreadable):
        storage.get(first)


def test_a_file_under_a_key_not_configured_is_a_clear_error(local: LocalFileStorage) -> None:
    key = encrypted(local, K1).put(SECRET)
    with pytest.raises(StoredFileUnreadable, match="'k1', which is not in ASSISTANT_STORAGE_KEYS"):
        EncryptedFileStorage(local, Keyring.parse(K2)).get(key)


def test_the_wrong_key_under_the_right_id_is_refused(local: LocalFileStorage) -> None:
    key = encrypted(local, K1).put(SECRET)
    with pytest.raises(StoredFileUnreadable, match="integrity check"):
        EncryptedFileStorage(local, Keyring.parse(entry("k1"))).get(key)


def test_files_stored_before_encryption_still_read(local: LocalFileStorage) -> None:
    old = local.put(SECRET)
    assert encrypted(local, K1).get(old) == SECRET


def test_rotation_re_encrypts_everything_under_the_current_key_and_is_resumable(local: LocalFileStorage) -> None:
    plain = local.put(b"from before encryption")
    under_k1 = [encrypted(local, K1).put(f"file {n}".encode()) for n in range(3)]
    rotating = encrypted(local, f"{K2},{K1}")
    KeyRecords(local.root, rotating.keyring).check()
    with pytest.raises(StorageKeysMismatch):  # before the rotation, k1 is still needed
        KeyRecords(local.root, Keyring.parse(K2)).check()

    report = RotateStorageKey(rotating)()
    assert (report.examined, report.rotated, report.encrypted, report.current, report.failed) == (4, 3, 1, 0, 0)
    assert report.retired_keys == ["k1"]
    assert {key_id_of(local.get(k)) for k in [plain, *under_k1]} == {"k2"}
    only_k2 = EncryptedFileStorage(local, Keyring.parse(K2))
    assert [only_k2.get(k) for k in under_k1] == [f"file {n}".encode() for n in range(3)]
    assert only_k2.get(plain) == b"from before encryption"
    KeyRecords(local.root, Keyring.parse(K2)).check()  # k1 retired: no longer asked for at start-up

    again = RotateStorageKey(rotating)()  # a second run (or a resumed one) rewrites nothing
    assert (again.examined, again.current, again.rotated, again.encrypted) == (4, 4, 0, 0)


def test_rotation_counts_unreadable_files_goes_on_and_retires_no_key(local: LocalFileStorage) -> None:
    lost = EncryptedFileStorage(local, Keyring.parse(entry("gone"))).put(b"under a key nobody has")
    readable = encrypted(local, K1).put(b"fine")
    report = RotateStorageKey(encrypted(local, f"{K2},{K1}"))()
    assert (report.examined, report.rotated, report.failed, report.retired_keys) == (2, 1, 1, [])
    assert key_id_of(local.get(readable)) == "k2" and key_id_of(local.get(lost)) == "gone"
    assert set(json.loads((local.root / FILENAME).read_text())["keys"]) == {"k1", "k2"}  # k1 still needed


def test_start_up_check_refuses_a_missing_or_wrong_key(local: LocalFileStorage) -> None:
    def check(keys: str | None) -> None:
        KeyRecords(local.root, Keyring.parse(keys) if keys else None).check()

    check(None)  # nothing encrypted yet: no keys is fine
    check(entry("k1"))  # nor does a key that never encrypted a file here leave a record
    assert not (local.root / FILENAME).exists()
    encrypted(local, K1).put(b"first file")
    check(K1)
    check(f"{K2},{K1}")
    with pytest.raises(StorageKeysMismatch, match="encrypted .*k1.* ASSISTANT_STORAGE_KEYS is not set"):
        check(None)
    with pytest.raises(StorageKeysMismatch, match="key id.s. k1, missing from ASSISTANT_STORAGE_KEYS"):
        check(K2)
    with pytest.raises(StorageKeysMismatch, match="'k1' is not the key"):
        check(entry("k1"))
    assert K1.split(":")[1] not in (local.root / FILENAME).read_text()


@pytest.mark.parametrize(("text", "message"), [
    ("", "no key given"),
    ("k1", "entry 1 is not id:base64key"),
    (f"{K1},bad id:{K2.split(':')[1]}", "entry 2 is not id:base64key"),
    (f"{K1},{K1}", "'k1' appears twice"),
    ("k1:not*base64", "'k1' is not valid base64"),
    (f"k1:{base64.b64encode(b'short').decode()}", "'k1' is 5 bytes; AES-256 needs 32"),
])
def test_malformed_keyrings_are_refused_naming_the_entry_only(text: str, message: str) -> None:
    with pytest.raises(KeyringError, match=message) as refused:
        Keyring.parse(text)
    assert K1.split(":")[1] not in str(refused.value)


def test_keyring_accepts_url_safe_base64_and_keeps_order() -> None:
    key = bytes(range(250, 256)) * 5 + b"\xfb\xff"
    ring = Keyring.parse(f" k2:{base64.urlsafe_b64encode(key).decode()} , {K1}")
    assert ring.current_id == "k2" and ring.current == key and list(ring.keys) == ["k2", "k1"]
    assert base64.b64encode(key).decode() not in repr(ring)
