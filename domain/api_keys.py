"""API keys for server-to-server use: a long random secret, stored only as its SHA-256 digest.

A key reads ``ak_<43 url-safe characters>`` (32 random bytes). The user sees it once, when it is
created; afterwards only its prefix (``ak_`` and the next 8 characters) identifies it in lists.
A fast hash is right here (not argon2): the secret has 256 bits of entropy, so it cannot be
guessed from its digest, and the digest must be cheap because it is computed on every request.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

import attrs

KEY_MARK = "ak_"
PREFIX_LENGTH = len(KEY_MARK) + 8  # "ak_1a2b3c4d"
MAX_KEY_LENGTH = 256  # anything longer is not one of ours: refused before hashing
TOUCH_INTERVAL = timedelta(minutes=1)  # last_used_at is written at most this often
NAME_MAX_LENGTH = 100


def looks_like_api_key(credential: str) -> bool:
    """Whether a credential is an API key (as opposed to a JWT) by its ``ak_`` mark."""
    return credential.startswith(KEY_MARK)


def key_hash(key: str) -> str:
    """The SHA-256 hex digest under which a key is stored and found."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_prefix(key: str) -> str:
    return key[:PREFIX_LENGTH]


@attrs.define(kw_only=True)
class ApiKey:
    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    user_id: uuid.UUID
    name: str
    prefix: str
    hash: str = attrs.field(repr=False)
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def needs_touch(self, now: datetime) -> bool:
        """Whether last_used_at is stale enough to be written again (not on every request)."""
        return self.last_used_at is None or now - self.last_used_at >= TOUCH_INTERVAL
