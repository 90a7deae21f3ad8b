"""Find or create a user by Telegram id, or by email for operators and the local profile."""

from __future__ import annotations

import attrs

from application.ports.clock import Clock
from application.ports.repositories import DuplicateRecord
from application.ports.unit_of_work import UnitOfWork
from domain.analytics import AnalyticsEvent, EventType
from domain.users import Role, User, normalise_email


@attrs.frozen(kw_only=True)
class EnsureTelegramUserCommand:
    telegram_id: int
    username: str | None = None
    language: str | None = None


@attrs.frozen(kw_only=True)
class EnsureEmailUserCommand:
    email: str
    role: Role = Role.USER
    username: str | None = None


@attrs.define
class EnsureUser:
    """Returns the existing user unchanged (but for a new Telegram username), or a new one."""

    uow: UnitOfWork
    clock: Clock

    def telegram(self, command: EnsureTelegramUserCommand) -> User:
        now = self.clock.now()
        with self.uow as uow:
            user = uow.users.get_by_telegram_id(command.telegram_id)
            if user is not None:
                if command.username and command.username != user.username:
                    user.username, user.updated_at = command.username, now
                    uow.users.update(user)
                    uow.commit()
                return user
            user = User(telegram_id=command.telegram_id, username=command.username,
                        language=(command.language or "en")[:2], created_at=now, updated_at=now)
            return self._add(uow, user, "telegram")

    def email(self, command: EnsureEmailUserCommand) -> User:
        email = normalise_email(command.email)
        now = self.clock.now()
        with self.uow as uow:
            user = uow.users.get_by_email(email)
            if user is not None:
                return user
            user = User(email=email, username=command.username, role=command.role,
                        created_at=now, updated_at=now)
            return self._add(uow, user, "email")

    @staticmethod
    def _add(uow: UnitOfWork, user: User, channel: str) -> User:
        try:
            uow.users.add(user)
        except DuplicateRecord:  # created concurrently: the other request's user is the one
            found = (uow.users.get_by_telegram_id(user.telegram_id) if user.telegram_id is not None
                     else uow.users.get_by_email(user.email or ""))
            assert found is not None
            return found
        uow.events.add(AnalyticsEvent(user_id=user.id, type=EventType.USER_REGISTERED,
                                      data={"channel": channel}, created_at=user.created_at))
        uow.commit()
        return user
