"""The user: identity on each channel, role, tier and status."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import attrs

from domain.errors import UserBanned, UserInactive


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"


class Tier(StrEnum):
    FREE = "free"
    PREMIUM = "premium"
    ENTERPRISE = "enterprise"


class UserStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    BANNED = "banned"


@attrs.define(kw_only=True)
class User:
    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    telegram_id: int | None = None
    email: str | None = None
    username: str | None = None
    password_hash: str | None = attrs.field(default=None, repr=False)
    role: Role = Role.USER
    tier: Tier = Tier.FREE
    status: UserStatus = UserStatus.ACTIVE
    language: str = "en"
    active_document_id: uuid.UUID | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def ensure_active(self) -> None:
        """Raise the error a banned or deactivated user gets on every action."""
        if self.status is UserStatus.BANNED:
            raise UserBanned("This account is banned.")
        if self.status is UserStatus.INACTIVE:
            raise UserInactive("This account is inactive.")

    @property
    def display_name(self) -> str:
        return self.username or self.email or (f"tg:{self.telegram_id}" if self.telegram_id else str(self.id))


def normalise_email(email: str) -> str:
    return email.strip().lower()
