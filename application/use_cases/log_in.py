"""Log in with email and password (throttled), refresh a token pair, and load the account a
credential names."""

from __future__ import annotations

import uuid

import attrs

from application.ports.security import PasswordHasher
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import credential_user
from application.use_cases.authenticate_user import AuthenticateUser
from application.use_cases.login_throttle import LoginThrottle
from application.use_cases.sessions import Sessions, TokenPair
from domain.errors import InvalidCredentials
from domain.sessions import SessionChannel
from domain.users import User

__all__ = ["LogIn", "TokenPair"]


@attrs.define
class LogIn:
    uow: UnitOfWork
    hasher: PasswordHasher
    sessions: Sessions
    throttle: LoginThrottle

    def __call__(self, email: str, password: str, *, address: str = "") -> TokenPair:
        """A new session's tokens. ``address`` is the client's (the throttle's key beside the email):
        LoginThrottled, before any password is checked, when it has tried too often."""
        self.throttle.admit(email, address)
        try:
            user = AuthenticateUser(self.uow, self.hasher)(email, password)
        except InvalidCredentials:
            self.throttle.failed(email, address)
            raise
        self.throttle.succeeded(email, address)
        return self.sessions.begin(user, SessionChannel.PASSWORD)

    def refresh(self, refresh_token: str) -> TokenPair:
        """A new pair for a session's current refresh token (which is spent: see Sessions.refresh)."""
        return self.sessions.refresh(refresh_token)

    def account(self, user_id: uuid.UUID) -> User:
        """The active user a verified credential names (a banned one is refused; one deleted since
        the credential was issued: InvalidCredentials)."""
        with self.uow as uow:
            return credential_user(uow, user_id, "The token is not valid.")
