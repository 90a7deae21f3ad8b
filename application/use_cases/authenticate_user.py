"""Check an email and password; the same error, and the same work, for an unknown email and a
wrong password: an unknown email (or an account without a password) is verified against a dummy
hash made once per hasher class, so the answer's timing does not tell which emails have accounts."""

from __future__ import annotations

import secrets
import threading

import attrs

from application.ports.security import PasswordHasher
from application.ports.unit_of_work import UnitOfWork
from domain.errors import InvalidCredentials
from domain.users import User, normalise_email

_DUMMY: dict[type, str] = {}  # type(hasher) -> a hash of a random password, with the hasher's parameters
_DUMMY_LOCK = threading.Lock()


def dummy_hash(hasher: PasswordHasher) -> str:
    with _DUMMY_LOCK:
        if type(hasher) not in _DUMMY:
            _DUMMY[type(hasher)] = hasher.hash(secrets.token_urlsafe(24))
        return _DUMMY[type(hasher)]


@attrs.define
class AuthenticateUser:
    uow: UnitOfWork
    hasher: PasswordHasher

    def __call__(self, email: str, password: str) -> User:
        with self.uow as uow:
            user = uow.users.get_by_email(normalise_email(email))
            if user is None or not user.password_hash:
                self.hasher.verify(dummy_hash(self.hasher), password)  # the same argon2 time as a real check
                raise InvalidCredentials("Wrong email or password.")
            if not self.hasher.verify(user.password_hash, password):
                raise InvalidCredentials("Wrong email or password.")
            user.ensure_active()
            if self.hasher.needs_rehash(user.password_hash):
                user.password_hash = self.hasher.hash(password)
                uow.users.update(user)
                uow.commit()
            return user
