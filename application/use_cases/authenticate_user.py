"""Check an email and password; the same error for an unknown email and a wrong password."""

from __future__ import annotations

import attrs

from application.ports.security import PasswordHasher
from application.ports.unit_of_work import UnitOfWork
from domain.errors import InvalidCredentials
from domain.users import User, normalise_email


@attrs.define
class AuthenticateUser:
    uow: UnitOfWork
    hasher: PasswordHasher

    def __call__(self, email: str, password: str) -> User:
        with self.uow as uow:
            user = uow.users.get_by_email(normalise_email(email))
            if user is None or not user.password_hash or not self.hasher.verify(user.password_hash, password):
                raise InvalidCredentials("Wrong email or password.")
            user.ensure_active()
            if self.hasher.needs_rehash(user.password_hash):
                user.password_hash = self.hasher.hash(password)
                uow.users.update(user)
                uow.commit()
            return user
