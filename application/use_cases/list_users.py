"""List users, or read one (administrators only)."""

from __future__ import annotations

import uuid

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import admin_user, existing_user
from domain.users import User


@attrs.define
class ListUsers:
    uow: UnitOfWork

    def __call__(self, actor_id: uuid.UUID, *, limit: int = 100, offset: int = 0,
                 email_contains: str | None = None) -> list[User]:
        """``email_contains``: only users whose email contains it (the admin page's search)."""
        with self.uow as uow:
            admin_user(uow, actor_id)
            return uow.users.list(limit=limit, offset=offset, email_contains=(email_contains or "").strip() or None)

    def one(self, actor_id: uuid.UUID, user_id: uuid.UUID) -> User:
        """One user, whatever their status (UserNotFound when there is none)."""
        with self.uow as uow:
            admin_user(uow, actor_id)
            return existing_user(uow, user_id)
