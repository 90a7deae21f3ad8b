"""The storage encryption keys (ASSISTANT_STORAGE_KEYS): ``id1:base64key,id2:base64key``.

Each key is 32 random bytes (AES-256) in standard or URL-safe base64, named by an id of 1-32
characters among A-Z, a-z, 0-9, ``_``, ``.`` and ``-``. The first key is the current one: every new
file is encrypted under it; the others only decrypt files written before a rotation
(``assistant storage rotate-key`` re-encrypts those under the current key). The id is written in
each file's header, so a file always names the key it needs.

Parsing errors name the entry by its position and id, never its key material: the message goes to
the terminal and the logs. No cryptography is imported here, so settings can check the format at
start-up for the price of a base64 decode.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets

import attrs

KEY_BYTES = 32
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")


class KeyringError(ValueError):
    """ASSISTANT_STORAGE_KEYS is malformed; the message is safe to show (no key material)."""


@attrs.frozen
class Keyring:
    """The keys by id, in the configured order (``current_id`` first)."""

    keys: dict[str, bytes] = attrs.field(repr=False)  # never printed: a repr must not leak the keys
    current_id: str

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """Raise KeyringError naming the first bad entry."""
        keys: dict[str, bytes] = {}
        entries = [entry.strip() for entry in text.split(",")]
        if not any(entries):
            raise KeyringError("no key given; expected id:base64key[,id:base64key...]")
        for position, entry in enumerate(entries, start=1):
            key_id, colon, encoded = entry.partition(":")
            key_id = key_id.strip()
            if not colon or not _KEY_ID.fullmatch(key_id):
                raise KeyringError(f"entry {position} is not id:base64key (an id is 1-32 characters among "
                                   "A-Z a-z 0-9 _ . -)")
            if key_id in keys:
                raise KeyringError(f"key id {key_id!r} appears twice")
            keys[key_id] = _decode(encoded.strip(), key_id)
        return cls(keys=keys, current_id=next(iter(keys)))


def _decode(encoded: str, key_id: str) -> bytes:
    try:
        key = base64.b64decode(encoded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError(f"key {key_id!r} is not valid base64") from None
    if len(key) != KEY_BYTES:
        raise KeyringError(f"key {key_id!r} is {len(key)} bytes; AES-256 needs {KEY_BYTES} "
                           "(generate one with `assistant storage new-key`)")
    return key


def new_key_entry(key_id: str) -> str:
    """A fresh ``id:base64key`` entry to put first in ASSISTANT_STORAGE_KEYS."""
    if not _KEY_ID.fullmatch(key_id):
        raise KeyringError("a key id is 1-32 characters among A-Z a-z 0-9 _ . -")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"


def parse_keyring(text: str) -> Keyring:
    """Keyring.parse as a plain function, for the container's providers."""
    return Keyring.parse(text)
