"""Register a user by email and password."""

from __future__ import annotations

import re

import attrs

from application.ports.clock import Clock
from application.ports.repositories import DuplicateRecord
from application.ports.security import PasswordHasher
from application.ports.unit_of_work import UnitOfWork
from domain.analytics import AnalyticsEvent, EventType
from domain.errors import EmailTaken, InvalidInput, RegistrationClosed
from domain.users import Role, Tier, User, normalise_email

EMAIL_PATTERN = r"^[^@\s\x00-\x1f\x7f-\x9f\ufeff]+@[^@\s\x00-\x1f\x7f-\x9f\ufeff]+$"  # also the API schema's pattern
_EMAIL_RE = re.compile(EMAIL_PATTERN)
MIN_PASSWORD_LENGTH = 8


@attrs.frozen(kw_only=True)
class RegisterUserCommand:
    email: str
    password: str | None
    username: str | None = None
    role: Role = Role.USER
    tier: Tier = Tier.FREE
    language: str = "en"
    self_service: bool = False  # True when the person registers themself (API), False for an operator


@attrs.define
class RegisterUser:
    uow: UnitOfWork
    hasher: PasswordHasher
    clock: Clock
    open_registration: bool = True

    def __call__(self, command: RegisterUserCommand) -> User:
        if command.self_service and not self.open_registration:
            raise RegistrationClosed("Registration is closed; ask an administrator for an account.")
        if command.self_service and (command.role is not Role.USER or command.tier is not Tier.FREE):
            raise InvalidInput("Self-registered accounts start as free users.")
        email = normalise_email(command.email)
        if not _EMAIL_RE.match(email) or len(email) > 254:
            raise InvalidInput("That is not a valid email address.", field="email")
        if command.password is not None and len(command.password) < MIN_PASSWORD_LENGTH:
            raise InvalidInput(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.", field="password")
        now = self.clock.now()
        with self.uow as uow:
            if uow.users.get_by_email(email) is not None:
                raise EmailTaken("An account with this email already exists.")
            user = User(
                email=email,
                username=command.username,
                password_hash=self.hasher.hash(command.password) if command.password else None,
                role=command.role,
                tier=command.tier,
                language=command.language,
                created_at=now,
                updated_at=now,
            )
            try:
                uow.users.add(user)
            except DuplicateRecord:  # registered concurrently since the check above
                raise EmailTaken("An account with this email already exists.") from None
            uow.events.add(AnalyticsEvent(user_id=user.id, type=EventType.USER_REGISTERED,
                                          data={"channel": "email"}, created_at=now))
            uow.commit()
        return user
