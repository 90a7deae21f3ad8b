"""Which keys have encrypted this storage: checked at start-up, so a wrong or missing key stops the
process with one clear line instead of failing on the first file a user opens.

A small JSON file in the storage folder (``.storage-keys.json``, never a blob: LocalFileStorage lists
only its sharded 32-hex keys) records each key id that has been current, with a check value: a
short constant encrypted under that key (AES-GCM, the id as associated data). At start-up:

- keys configured: every recorded id must be in the keyring (else its files could not be read),
  and each configured key with a record must decrypt its check value (else it is the wrong key:
  same id, other bytes). A key is recorded when it first encrypts a file in this storage (not at
  start-up, so a process started with a wrong key on an empty folder leaves no trace).
- no keys configured, but records exist: the files are encrypted, so starting without keys is
  refused rather than serving errors.

``assistant storage rotate-key`` drops the records of the other keys once no file is left under
them, so a retired key can then be removed from ASSISTANT_STORAGE_KEYS. A backup carries the
records (``export``); a restore checks them against the configured keys before it touches anything
(``verify``) and adopts them (``adopt``), so the restored storage is checked at start-up too. Nothing
secret is in the file. cryptography is imported only when keys are configured.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from pathlib import Path

from adapters.storage.keyring import Keyring
from domain.errors import RestoreRefused

FILENAME = ".storage-keys.json"
_CHECK_TEXT = b"ai-business-assistant storage key check v1"


class StorageKeysMismatch(Exception):
    """The configured keys do not fit the stored files; the message is safe to show."""


class KeyRecords:
    """Implements application.ports.storage.StorageKeyRecords for the configured ``keyring``."""

    def __init__(self, root: Path, keyring: Keyring | None = None) -> None:
        self.path = Path(root) / FILENAME
        self.keyring = keyring
        self._noted = False

    def export(self) -> dict[str, str]:
        return self._load()

    def verify(self, records: dict[str, str]) -> None:
        try:
            self._verify(records, self.keyring)
        except StorageKeysMismatch as error:
            raise RestoreRefused(f"the backup's files cannot be read with this configuration: {error}") from None

    def adopt(self, records: dict[str, str], *, replace: bool = False) -> None:
        if records or replace:
            self._save(dict(records) if replace else {**self._load(), **records})

    def check(self) -> None:
        """Start-up: raise StorageKeysMismatch when the keyring cannot read this storage."""
        self._verify(self._load(), self.keyring)

    def note_current(self) -> None:
        """Before the first file is encrypted under the current key (once per process): record it."""
        keyring = self.keyring
        if self._noted or keyring is None:
            return
        recorded = self._load()
        if keyring.current_id not in recorded:
            self._save({**recorded, keyring.current_id: _seal(keyring.current, keyring.current_id)})
        self._noted = True

    @staticmethod
    def _verify(recorded: dict[str, str], keyring: Keyring | None) -> None:
        if keyring is None:
            if recorded:
                raise StorageKeysMismatch(
                    f"the stored files are encrypted (key ids: {', '.join(sorted(recorded))}) but "
                    "ASSISTANT_STORAGE_KEYS is not set")
            return
        missing = sorted(set(recorded) - set(keyring.keys))
        if missing:
            raise StorageKeysMismatch(
                f"stored files are encrypted with key id(s) {', '.join(missing)}, missing from "
                "ASSISTANT_STORAGE_KEYS; put them back after the current key (rotate-key retires them)")
        for key_id, check in recorded.items():
            if not _opens(keyring.keys[key_id], key_id, check):
                raise StorageKeysMismatch(
                    f"ASSISTANT_STORAGE_KEYS: key {key_id!r} is not the key this storage was encrypted with")

    def keep_only(self, key_id: str) -> list[str]:
        """Forget every record but ``key_id``'s; return the ids forgotten."""
        recorded = self._load()
        retired = sorted(set(recorded) - {key_id})
        if retired:
            self._save({k: v for k, v in recorded.items() if k == key_id})
        return retired

    def _load(self) -> dict[str, str]:
        try:
            content = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            raise StorageKeysMismatch(f"{self.path.name} in the storage folder is unreadable: "
                                      f"{type(error).__name__}") from None
        keys = content.get("keys") if isinstance(content, dict) else None
        if not isinstance(keys, dict):
            raise StorageKeysMismatch(f"{self.path.name} in the storage folder is not a key record file")
        return {str(k): str(v) for k, v in keys.items()}

    def _save(self, records: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-keys-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"version": 1, "keys": records}, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _seal(key: bytes, key_id: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, _CHECK_TEXT, key_id.encode())).decode()


def _opens(key: bytes, key_id: str, check: str) -> bool:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = base64.b64decode(check, validate=True)
        return AESGCM(key).decrypt(raw[:12], raw[12:], key_id.encode()) == _CHECK_TEXT
    except (InvalidTag, ValueError):
        return False
