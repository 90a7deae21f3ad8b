"""Ban, unban or deactivate a user (administrators only; audited)."""

from __future__ import annotations

import uuid

import attrs

from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import admin_user, existing_user
from domain.analytics import AuditEntry
from domain.errors import PermissionDenied
from domain.users import User, UserStatus


@attrs.define
class SetStatus:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, actor_id: uuid.UUID, user_id: uuid.UUID, status: UserStatus) -> User:
        with self.uow as uow:
            admin_user(uow, actor_id)
            if user_id == actor_id and status is not UserStatus.ACTIVE:
                raise PermissionDenied("Administrators cannot ban or deactivate themselves.")
            user = existing_user(uow, user_id)
            before, user.status, user.updated_at = user.status, status, self.clock.now()
            uow.users.update(user)
            uow.audit.add(AuditEntry(actor_id=actor_id, action="set_status", target=str(user.id),
                                     data={"from": before.value, "to": status.value}, created_at=user.updated_at))
            uow.commit()
            return user
