"""Password hashing and access tokens."""

from __future__ import annotations

import uuid
from typing import Protocol

import attrs


@attrs.frozen(kw_only=True)
class TokenClaims:
    """What a verified token says: whose it is, the login session it belongs to (None for a token
    issued before sessions existed) and its own id (``jti``: a refresh token's place in its family)."""

    user_id: uuid.UUID
    session_id: uuid.UUID | None
    token_id: str


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


class TokenIssuer(Protocol):
    def issue(self, user_id: uuid.UUID, *, kind: str, session_id: uuid.UUID | None = None,
              token_id: str | None = None) -> str:
        """A signed token; ``token_id`` (a fresh random one when None) becomes its ``jti``."""
        ...
    def ttl(self, kind: str) -> int:
        """Seconds a token of this kind is valid."""
        ...
    def read(self, token: str, *, kind: str) -> TokenClaims:
        """The claims of a valid token; InvalidCredentials for a bad one, TokenExpired for an expired one."""
        ...


class TokenKind:
    ACCESS = "access"
    REFRESH = "refresh"
    WEB = "web"  # the dashboard's session cookie: names a web session, lives as long as a refresh token
