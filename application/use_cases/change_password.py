"""Change one's password: every session of the account ends, and a new one starts for the caller.

The current password is asked for when the account has one (an account made by the Telegram bot
sets its first password with an access token from a link code). API keys are not sessions and
keep working: they are revoked on their own."""

from __future__ import annotations

import uuid

import attrs

from application.ports.security import PasswordHasher
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import credential_user
from application.use_cases.register_user import MIN_PASSWORD_LENGTH
from application.use_cases.sessions import Sessions, TokenPair
from domain.analytics import AuditEntry
from domain.errors import InvalidCredentials, InvalidInput
from domain.sessions import RevocationReason, SessionChannel


@attrs.define
class ChangePassword:
    uow: UnitOfWork
    hasher: PasswordHasher
    sessions: Sessions

    def __call__(self, user_id: uuid.UUID, *, current_password: str | None, new_password: str) -> TokenPair:
        if len(new_password) < MIN_PASSWORD_LENGTH:
            raise InvalidInput(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.", field="new_password")
        with self.uow as uow:
            user = credential_user(uow, user_id, "The token is not valid.")
            if user.password_hash and not (current_password is not None
                                           and self.hasher.verify(user.password_hash, current_password)):
                raise InvalidCredentials("The current password is wrong.")
            user.password_hash = self.hasher.hash(new_password)
            uow.users.update(user)
            ended = self.sessions.end_all(uow, user.id, RevocationReason.PASSWORD_CHANGED)
            pair = self.sessions.start(uow, user, SessionChannel.PASSWORD)
            uow.audit.add(AuditEntry(actor_id=user.id, action="password_changed", target=str(user.id),
                                     data={"sessions_ended": len(ended)}, created_at=self.sessions.clock.now()))
            uow.commit()
        self.sessions.forget(ended)
        return pair
