"""Look a user up by email (administrators only)."""

from __future__ import annotations

import uuid

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import admin_user
from domain.errors import UserNotFound
from domain.users import User, normalise_email


@attrs.define
class FindUser:
    uow: UnitOfWork

    def __call__(self, actor_id: uuid.UUID, email: str) -> User:
        with self.uow as uow:
            admin_user(uow, actor_id)
            user = uow.users.get_by_email(normalise_email(email))
            if user is None:
                raise UserNotFound(f"No user with email {email!r}.", email=email)
            return user
