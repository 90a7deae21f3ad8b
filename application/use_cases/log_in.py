"""Log in with email and password (throttled), refresh a token pair, and load the account a
credential names."""

from __future__ import annotations

import uuid

import attrs

from application.audit import audit
from application.ports.security import PasswordHasher
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import credential_user
from application.use_cases.authenticate_user import AuthenticateUser
from application.use_cases.login_throttle import LoginThrottle
from application.use_cases.sessions import Sessions, TokenPair, WebLogin
from domain.analytics import AuditAction
from domain.errors import InvalidCredentials, LoginThrottled
from domain.sessions import SessionChannel
from domain.users import User

__all__ = ["LogIn", "TokenPair", "WebLogin"]


@attrs.define
class LogIn:
    uow: UnitOfWork
    hasher: PasswordHasher
    sessions: Sessions
    throttle: LoginThrottle

    def __call__(self, email: str, password: str, *, address: str = "") -> TokenPair:
        """A new session's tokens. ``address`` is the client's (the throttle's key beside the email):
        LoginThrottled, before any password is checked, when it has tried too often."""
        return self.sessions.begin(self._checked(email, password, address), SessionChannel.PASSWORD)

    def web(self, email: str, password: str, *, address: str = "") -> WebLogin:
        """The dashboard's sign-in: the same checks and throttle, a web session (one cookie token)."""
        return self.sessions.begin_web(self._checked(email, password, address))

    def _checked(self, email: str, password: str, address: str) -> User:
        """The user; a refused attempt (throttled or wrong credentials) is audited, in a transaction
        of its own since the refusal rolls back the attempt's; a success is audited with its session."""
        try:
            self.throttle.admit(email, address)
        except LoginThrottled:
            self._refused(email, "throttled")
            raise
        try:
            user = AuthenticateUser(self.uow, self.hasher)(email, password)
        except InvalidCredentials:
            self.throttle.failed(email, address)
            self._refused(email, "invalid_credentials")
            raise
        self.throttle.succeeded(email, address)
        return user

    def _refused(self, email: str, reason: str) -> None:
        with self.uow as uow:
            audit(uow, AuditAction.SIGN_IN_FAILED, actor_id=None, target=" ".join(email.split()).lower()[:320],
                  at=self.sessions.clock.now(), reason=reason)
            uow.commit()

    def refresh(self, refresh_token: str) -> TokenPair:
        """A new pair for a session's current refresh token (which is spent: see Sessions.refresh)."""
        return self.sessions.refresh(refresh_token)

    def account(self, user_id: uuid.UUID) -> User:
        """The active user a verified credential names (a banned one is refused; one deleted since
        the credential was issued: InvalidCredentials)."""
        with self.uow as uow:
            return credential_user(uow, user_id, "The token is not valid.")
