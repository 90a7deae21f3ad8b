"""Password hashing and access tokens."""

from __future__ import annotations

import uuid
from typing import Protocol


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


class TokenIssuer(Protocol):
    def issue(self, user_id: uuid.UUID, *, kind: str) -> str: ...
    def verify(self, token: str, *, kind: str) -> uuid.UUID:
        """Return the user id; raise InvalidCredentials for a bad or expired token."""
        ...


class TokenKind:
    ACCESS = "access"
    REFRESH = "refresh"
