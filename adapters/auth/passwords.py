"""Password hashing with Argon2id (argon2-cffi)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2PasswordHasher:
    """Implements application.ports.security.PasswordHasher. Defaults are argon2-cffi's (RFC 9106
    low-memory profile); the cost parameters may be lowered in tests."""

    def __init__(self, *, time_cost: int | None = None, memory_cost: int | None = None,
                 parallelism: int | None = None) -> None:
        params = {"time_cost": time_cost, "memory_cost": memory_cost, "parallelism": parallelism}
        self._hasher = PasswordHasher(**{k: v for k, v in params.items() if v is not None})

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """True when ``password`` matches; False on a mismatch or a malformed hash (never raises)."""
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError, TypeError, ValueError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash uses other parameters than the current ones (or cannot be read)."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except (InvalidHashError, TypeError, ValueError):
            return True
