"""Move a user to another tier (administrators only; audited)."""

from __future__ import annotations

import uuid

import attrs

from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import admin_user, existing_user
from domain.analytics import AuditEntry
from domain.users import Tier, User


@attrs.define
class SetTier:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, actor_id: uuid.UUID, user_id: uuid.UUID, tier: Tier) -> User:
        with self.uow as uow:
            admin_user(uow, actor_id)
            user = existing_user(uow, user_id)
            before, user.tier, user.updated_at = user.tier, tier, self.clock.now()
            uow.users.update(user)
            uow.audit.add(AuditEntry(actor_id=actor_id, action="set_tier", target=str(user.id),
                                     data={"from": before.value, "to": tier.value}, created_at=user.updated_at))
            uow.commit()
            return user
