"""One-time codes that give a Telegram user API access to the same account.

The bot issues a code (/token); the client exchanges it once, within its lifetime, for tokens."""

from __future__ import annotations

import secrets
import uuid

import attrs

from application.ports.cache import Cache
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, credential_user
from application.use_cases.sessions import Sessions, TokenPair
from domain.errors import InvalidCredentials
from domain.sessions import SessionChannel
from domain.users import User

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read from a phone
CODE_LENGTH = 10  # 31^10 ~ 8e14 codes
CODE_TTL_SECONDS = 600
_PREFIX = "link-code:"


@attrs.define
class LinkCodes:
    uow: UnitOfWork
    cache: Cache
    sessions: Sessions

    def issue(self, user_id: uuid.UUID) -> str:
        """A new code for an active user, valid for CODE_TTL_SECONDS."""
        with self.uow as uow:
            user = active_user(uow, user_id)
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        self.cache.set(_PREFIX + code, str(user.id).encode(), ttl_seconds=CODE_TTL_SECONDS)
        return code

    def exchange(self, code: str) -> TokenPair:
        """Tokens for the code's user; the code is spent whether or not the user is still active."""
        return self.sessions.begin(self.redeem(code), SessionChannel.TELEGRAM_CODE)

    def redeem(self, code: str) -> User:
        """The code's active user, the code spent (whether or not the user is still active): the
        dashboard starts its own kind of session (a web one) for this user."""
        key = _PREFIX + code.strip().upper().replace("-", "").replace(" ", "")
        raw = self.cache.get(key)
        if raw is None:
            raise InvalidCredentials("The code is unknown, used or expired; ask the bot for a new one (/token).")
        self.cache.delete(key)
        with self.uow as uow:
            return credential_user(uow, uuid.UUID(raw.decode()), "The code is unknown, used or expired.")
