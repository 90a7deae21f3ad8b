"""Envelope encryption at rest around any BlobStore: AES-256-GCM, one random data key per file.

Each file gets its own 256-bit data key and nonce; the data key is itself encrypted ("wrapped")
under the current key of the keyring (adapters/storage/keyring.py), and the header names that key.
A blob, version 1::

    magic    8 bytes   89 41 53 45 0d 0a 1a 0a  ("\\x89ASE\\r\\n\\x1a\\n", like PNG's: not text)
    version  1 byte    1
    id size  1 byte    n
    key id   n bytes   ASCII, the keyring id that wraps the data key
    wrapped  60 bytes  nonce (12) + AES-GCM(key, data key, aad=the bytes above) (32 + 16-byte tag)
    nonce    12 bytes
    body     AES-GCM(data key, file, aad=the whole header) (file size + 16-byte tag)

The GCM tags authenticate everything: a changed byte anywhere (header, wrapped key, body) or a
truncated blob is refused with StoredFileUnreadable, never decrypted into garbage. A blob without
the magic was stored before encryption was turned on and is returned as it is (``rotate`` encrypts
it); note that this also means someone able to write the storage folder could plant a plaintext
file, so encryption protects confidentiality of the files there, not against their replacement.

Why a data key per file: random 96-bit nonces under one key are safe for about 2^32 messages, a
fresh key per file lifts that limit; and the header keeps each file self-describing, so several
keys can be live during a rotation (which rewrites whole blobs, atomically, through
``BlobStore.write``) and a backup restores with the keyring alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapters.storage.key_records import KeyRecords
from adapters.storage.keyring import Keyring
from application.ports.storage import BlobStore, Rotation
from domain.errors import StoredFileUnreadable

MAGIC = b"\x89ASE\r\n\x1a\n"
VERSION = 1
NONCE_BYTES = 12
WRAPPED_BYTES = NONCE_BYTES + 32 + 16


class EncryptedFileStorage:
    """Implements FileStorage and KeyRotatingStorage over ``inner`` (which stores the ciphertext)."""

    def __init__(self, inner: BlobStore, keyring: Keyring, records: KeyRecords | None = None) -> None:
        self.inner = inner
        self.keyring = keyring
        self.records = records

    def put(self, data: bytes) -> str:
        return self.inner.put(self.encrypt(data))

    def get(self, key: str) -> bytes:
        return self.decrypt(self.inner.get(key))

    def delete(self, key: str) -> None:
        self.inner.delete(key)

    def keys(self) -> Iterator[str]:
        return self.inner.keys()

    def rotate(self, key: str) -> Rotation:
        blob = self.inner.get(key)
        if blob.startswith(MAGIC) and key_id_of(blob) == self.keyring.current_id:
            self.decrypt(blob)  # still checked: a damaged file is reported, not counted as current
            return Rotation.CURRENT
        outcome = Rotation.ROTATED if blob.startswith(MAGIC) else Rotation.ENCRYPTED
        self.inner.write(key, self.encrypt(self.decrypt(blob)))
        return outcome

    def retire_other_keys(self) -> list[str]:
        return self.records.keep_only(self.keyring.current_id) if self.records is not None else []

    def encrypt(self, data: bytes) -> bytes:
        if self.records is not None:
            self.records.note_current()
        key_id = self.keyring.current_id.encode("ascii")
        prefix = MAGIC + bytes([VERSION, len(key_id)]) + key_id
        data_key = AESGCM.generate_key(bit_length=256)
        wrap_nonce, nonce = os.urandom(NONCE_BYTES), os.urandom(NONCE_BYTES)
        wrapped = wrap_nonce + AESGCM(self.keyring.current).encrypt(wrap_nonce, data_key, prefix)
        header = prefix + wrapped + nonce
        return header + AESGCM(data_key).encrypt(nonce, data, header)

    def decrypt(self, blob: bytes) -> bytes:
        if not blob.startswith(MAGIC):
            return blob  # stored before encryption was turned on
        if len(blob) < len(MAGIC) + 2 or blob[len(MAGIC)] != VERSION:
            raise StoredFileUnreadable("The stored file has an unknown encryption format version.")
        key_id = key_id_of(blob)
        if key_id is None:
            raise StoredFileUnreadable("The stored file's header is damaged: it failed its integrity check.")
        prefix_end = len(MAGIC) + 2 + blob[len(MAGIC) + 1]
        header_end = prefix_end + WRAPPED_BYTES + NONCE_BYTES
        if len(blob) < header_end + 16:
            raise StoredFileUnreadable("The stored file is truncated: it failed its integrity check.")
        key = self.keyring.keys.get(key_id)
        if key is None:
            raise StoredFileUnreadable(
                f"The stored file is encrypted with key {key_id!r}, which is not in ASSISTANT_STORAGE_KEYS.")
        wrapped = blob[prefix_end:prefix_end + WRAPPED_BYTES]
        try:
            data_key = AESGCM(key).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], blob[:prefix_end])
            return AESGCM(data_key).decrypt(blob[header_end - NONCE_BYTES:header_end], blob[header_end:],
                                            blob[:header_end])
        except InvalidTag:
            raise StoredFileUnreadable("The stored file failed its integrity check (altered or damaged, or "
                                       f"key {key_id!r} is not the key it was encrypted with).") from None


def key_id_of(blob: bytes) -> str | None:
    """The key id named in an encrypted blob's header (None for plaintext or a mangled header)."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 2:
        return None
    size = blob[len(MAGIC) + 1]
    raw = blob[len(MAGIC) + 2:len(MAGIC) + 2 + size]
    try:
        return raw.decode("ascii") if len(raw) == size else None
    except UnicodeDecodeError:
        return None
