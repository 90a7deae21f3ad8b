"""List users (administrators only)."""

from __future__ import annotations

import uuid

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import admin_user
from domain.users import User


@attrs.define
class ListUsers:
    uow: UnitOfWork

    def __call__(self, actor_id: uuid.UUID, *, limit: int = 100, offset: int = 0) -> list[User]:
        with self.uow as uow:
            admin_user(uow, actor_id)
            return uow.users.list(limit=limit, offset=offset)
