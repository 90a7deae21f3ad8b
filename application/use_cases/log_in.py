"""Log in with email and password, refresh a token pair, and load the account a credential names."""

from __future__ import annotations

import uuid

import attrs

from application.ports.security import PasswordHasher, TokenIssuer, TokenKind
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import credential_user
from application.use_cases.authenticate_user import AuthenticateUser
from domain.users import User


@attrs.frozen(kw_only=True)
class TokenPair:
    access_token: str
    refresh_token: str
    user: User


@attrs.define
class LogIn:
    uow: UnitOfWork
    hasher: PasswordHasher
    tokens: TokenIssuer

    def __call__(self, email: str, password: str) -> TokenPair:
        user = AuthenticateUser(self.uow, self.hasher)(email, password)
        return issue_pair(self.tokens, user)

    def refresh(self, refresh_token: str) -> TokenPair:
        """A new pair for a valid refresh token of a user who is still active."""
        user_id = self.tokens.verify(refresh_token, kind=TokenKind.REFRESH)
        with self.uow as uow:
            user = credential_user(uow, user_id, "The token is not valid.")
        return issue_pair(self.tokens, user)

    def account(self, user_id: uuid.UUID) -> User:
        """The active user a verified credential names (a banned one is refused; one deleted since
        the credential was issued: InvalidCredentials)."""
        with self.uow as uow:
            return credential_user(uow, user_id, "The token is not valid.")


def issue_pair(tokens: TokenIssuer, user: User) -> TokenPair:
    return TokenPair(access_token=tokens.issue(user.id, kind=TokenKind.ACCESS),
                     refresh_token=tokens.issue(user.id, kind=TokenKind.REFRESH), user=user)
