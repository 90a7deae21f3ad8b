"""JWT access and refresh tokens (PyJWT, HS256 only: 'none' and other algorithms are refused)."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

import jwt

from domain.errors import InvalidCredentials, TokenExpired

ALGORITHM = "HS256"
ISSUER = "ai-business-assistant"


class JwtTokenIssuer:
    """Tokens carry ``sub`` (user id), ``typ`` (access | refresh), ``iat``, ``exp`` and ``jti``.

    A token that verified is remembered (up to ``remember`` of them, the oldest forgotten first)
    with its user id and expiry: the same string presented again skips decoding and the signature
    check, which are a visible share of an API request's CPU. Its expiry is still checked on every
    call against the clock, so a remembered token expires exactly like any other."""

    def __init__(self, secret: str, *, ttls: dict[str, int], clock: Callable[[], float] = time.time,
                 remember: int = 10_000) -> None:
        if len(secret) < 32:
            raise ValueError("the JWT secret must be at least 32 characters")
        self._secret, self._ttls, self._clock = secret, ttls, clock
        self._verified: OrderedDict[tuple[str, str], tuple[uuid.UUID, int]] = OrderedDict()
        self._remember = remember
        self._lock = threading.Lock()

    def ttl(self, kind: str) -> int:
        return self._ttls[kind]

    def issue(self, user_id: uuid.UUID, *, kind: str) -> str:
        now = int(self._clock())
        claims = {"sub": str(user_id), "typ": kind, "iss": ISSUER, "iat": now, "exp": now + self._ttls[kind],
                  "jti": uuid.uuid4().hex}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str, *, kind: str) -> uuid.UUID:
        """The user id; InvalidCredentials for a bad token, TokenExpired for an expired one.

        Expiry is checked against the injected clock (PyJWT's own check is switched off)."""
        known = self._verified.get((token, kind))
        if known is not None:
            user_id, expires = known
            if expires <= self._clock():
                raise TokenExpired("The token has expired.")
            return user_id
        try:
            claims = jwt.decode(token, self._secret, algorithms=[ALGORITHM], issuer=ISSUER,
                                options={"require": ["sub", "typ", "exp", "iat"], "verify_exp": False, "verify_iat": False})
            user_id = uuid.UUID(str(claims["sub"]))
        except (jwt.PyJWTError, ValueError):
            raise InvalidCredentials("The token is not valid.") from None
        if claims.get("typ") != kind or not isinstance(claims.get("exp"), int):
            raise InvalidCredentials("The token is not valid.")
        if claims["exp"] <= self._clock():
            raise TokenExpired("The token has expired.")
        with self._lock:
            self._verified[(token, kind)] = (user_id, claims["exp"])
            while len(self._verified) > self._remember:
                self._verified.popitem(last=False)
        return user_id
