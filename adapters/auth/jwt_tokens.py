"""JWT access and refresh tokens (PyJWT, HS256 only: 'none' and other algorithms are refused)."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

import jwt

from application.ports.security import TokenClaims
from domain.errors import InvalidCredentials, TokenExpired

ALGORITHM = "HS256"
ISSUER = "ai-business-assistant"


class JwtTokenIssuer:
    """Tokens carry ``sub`` (user id), ``typ`` (access | refresh), ``iat``, ``exp``, ``jti`` and ``sid``
    (the login session, domain.sessions).

    A token that verified is remembered (up to ``remember`` of them, the oldest forgotten first)
    with its user id and expiry: the same string presented again skips decoding and the signature
    check, which are a visible share of an API request's CPU. Its expiry is still checked on every
    call against the clock, so a remembered token expires exactly like any other."""

    def __init__(self, secret: str, *, ttls: dict[str, int], clock: Callable[[], float] = time.time,
                 remember: int = 10_000) -> None:
        if len(secret) < 32:
            raise ValueError("the JWT secret must be at least 32 characters")
        self._secret, self._ttls, self._clock = secret, ttls, clock
        self._verified: OrderedDict[tuple[str, str], tuple[TokenClaims, int]] = OrderedDict()
        self._remember = remember
        self._lock = threading.Lock()

    def ttl(self, kind: str) -> int:
        return self._ttls[kind]

    def issue(self, user_id: uuid.UUID, *, kind: str, session_id: uuid.UUID | None = None,
              token_id: str | None = None) -> str:
        now = int(self._clock())
        claims = {"sub": str(user_id), "typ": kind, "iss": ISSUER, "iat": now, "exp": now + self._ttls[kind],
                  "jti": token_id or uuid.uuid4().hex}
        if session_id is not None:
            claims["sid"] = str(session_id)
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def read(self, token: str, *, kind: str) -> TokenClaims:
        """The claims; InvalidCredentials for a bad token, TokenExpired for an expired one.

        Expiry is checked against the injected clock (PyJWT's own check is switched off)."""
        known = self._verified.get((token, kind))
        if known is not None:
            verified, expires = known
            if expires <= self._clock():
                raise TokenExpired("The token has expired.")
            return verified
        try:
            claims = jwt.decode(token, self._secret, algorithms=[ALGORITHM], issuer=ISSUER,
                                options={"require": ["sub", "typ", "exp", "iat"], "verify_exp": False, "verify_iat": False})
            verified = TokenClaims(user_id=uuid.UUID(str(claims["sub"])), token_id=str(claims.get("jti") or ""),
                                   session_id=uuid.UUID(str(claims["sid"])) if claims.get("sid") else None)
        except (jwt.PyJWTError, ValueError, TypeError):
            raise InvalidCredentials("The token is not valid.") from None
        if claims.get("typ") != kind or not isinstance(claims.get("exp"), int):
            raise InvalidCredentials("The token is not valid.")
        if claims["exp"] <= self._clock():
            raise TokenExpired("The token has expired.")
        with self._lock:
            self._verified[(token, kind)] = (verified, claims["exp"])
            while len(self._verified) > self._remember:
                self._verified.popitem(last=False)
        return verified
