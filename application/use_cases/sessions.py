"""Login sessions: start one with a token pair, rotate its refresh token, end one or all.

See domain.sessions for what a session is. A refresh token works once: refreshing spends it and
names its successor in one conditional write; the spent token presented again (or a lost race
between two refreshes with the same token) is a reuse, and the whole session ends."""

from __future__ import annotations

import uuid
from datetime import timedelta

import attrs
import structlog

from application.audit import audit
from application.ports.clock import Clock
from application.ports.security import TokenIssuer, TokenKind
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import credential_user
from application.use_cases.session_guard import SessionGuard
from domain.analytics import AuditAction
from domain.errors import InvalidCredentials, SessionEnded
from domain.sessions import RevocationReason, Session, SessionChannel
from domain.users import User

log = structlog.get_logger(__name__)
ENDED = "This session has ended (logged out, signed in again elsewhere with a new password, or its " \
        "refresh token was used twice): log in again."


@attrs.frozen(kw_only=True)
class TokenPair:
    access_token: str
    refresh_token: str
    user: User
    session_id: uuid.UUID | None = None


@attrs.frozen(kw_only=True)
class WebLogin:
    """A web session's one token (the dashboard's cookie, kind ``web``): no refresh token exists
    for it, so it cannot be refreshed; it ends with the session (sign out, password change)."""

    token: str = attrs.field(repr=False)
    user: User
    session_id: uuid.UUID


@attrs.define
class Sessions:
    uow: UnitOfWork
    tokens: TokenIssuer
    clock: Clock
    guard: SessionGuard | None = None  # told of the sessions ended here, so their tokens stop at once

    def start(self, uow: UnitOfWork, user: User, channel: SessionChannel) -> TokenPair:
        """A new session for ``user`` in the caller's unit of work (committed by the caller)."""
        now = self.clock.now()
        session = Session(user_id=user.id, channel=channel, refresh_token_id=uuid.uuid4().hex, created_at=now,
                          refreshed_at=now, expires_at=now + timedelta(seconds=self.tokens.ttl(TokenKind.REFRESH)))
        uow.sessions.add(session)
        audit(uow, AuditAction.SIGN_IN, actor_id=user.id, target=str(session.id), at=now, channel=channel.value)
        return self._pair(user, session)

    def begin(self, user: User, channel: SessionChannel) -> TokenPair:
        with self.uow as uow:
            pair = self.start(uow, user, channel)
            uow.commit()
        return pair

    def begin_web(self, user: User) -> WebLogin:
        """A new web session for ``user`` and its cookie token, which lives as long as a refresh
        token would (the session expires with it). The session's ``refresh_token_id`` names no
        token ever issued, so no refresh can extend it."""
        now = self.clock.now()
        session = Session(user_id=user.id, channel=SessionChannel.WEB, refresh_token_id=uuid.uuid4().hex,
                          created_at=now, refreshed_at=now,
                          expires_at=now + timedelta(seconds=self.tokens.ttl(TokenKind.WEB)))
        with self.uow as uow:
            uow.sessions.add(session)
            audit(uow, AuditAction.SIGN_IN, actor_id=user.id, target=str(session.id), at=now,
                  channel=SessionChannel.WEB.value)
            uow.commit()
        return WebLogin(token=self.tokens.issue(user.id, kind=TokenKind.WEB, session_id=session.id),
                        user=user, session_id=session.id)

    def refresh(self, refresh_token: str) -> TokenPair:
        """A new pair for the current refresh token of a live session of an active user."""
        claims = self.tokens.read(refresh_token, kind=TokenKind.REFRESH)
        if claims.session_id is None:
            raise InvalidCredentials("The token is not valid.")
        now = self.clock.now()
        with self.uow as uow:
            user = credential_user(uow, claims.user_id, "The token is not valid.")
            session = uow.sessions.get(claims.session_id)
            if session is None or session.user_id != user.id or session.channel is SessionChannel.WEB:
                raise InvalidCredentials("The token is not valid.")  # a web session has no refresh tokens
            if not session.is_active(now):
                raise SessionEnded(ENDED)
            successor = uuid.uuid4().hex
            expires = now + timedelta(seconds=self.tokens.ttl(TokenKind.REFRESH))
            if claims.token_id != session.refresh_token_id or not uow.sessions.rotate(
                    session.id, spent=claims.token_id, successor=successor, at=now, expires_at=expires):
                self._revoke(uow, session.id, user.id, RevocationReason.REFRESH_REUSED)
                uow.commit()
                self.forget([session.id])
                log.warning("refresh_token_reused", session_id=str(session.id), user_id=str(user.id))
                raise SessionEnded(ENDED)
            audit(uow, AuditAction.TOKEN_REFRESHED, actor_id=user.id, target=str(session.id), at=now)
            uow.commit()
        session.refresh_token_id = successor
        return self._pair(user, session)

    def end(self, user_id: uuid.UUID, session_id: uuid.UUID) -> None:
        """Log out: the session's tokens stop working (a no-op for a session already ended)."""
        with self.uow as uow:
            session = uow.sessions.get(session_id)
            if session is not None and session.user_id == user_id:
                self._revoke(uow, session_id, user_id, RevocationReason.LOGOUT)
                uow.commit()
                self.forget([session_id])

    def end_all(self, uow: UnitOfWork, user_id: uuid.UUID, reason: RevocationReason) -> list[uuid.UUID]:
        """End every live session of the user in the caller's unit of work (the caller commits, then
        passes the ids to ``forget``)."""
        ended = uow.sessions.revoke_for_user(user_id, at=self.clock.now(), reason=reason)
        for session_id in ended:
            self._audit(uow, session_id, user_id, reason)
        return ended

    def forget(self, session_ids: list[uuid.UUID]) -> None:
        if self.guard is not None:
            self.guard.ended(session_ids)

    def _revoke(self, uow: UnitOfWork, session_id: uuid.UUID, user_id: uuid.UUID, reason: RevocationReason) -> None:
        if uow.sessions.revoke(session_id, at=self.clock.now(), reason=reason):
            self._audit(uow, session_id, user_id, reason)

    def _audit(self, uow: UnitOfWork, session_id: uuid.UUID, user_id: uuid.UUID, reason: RevocationReason) -> None:
        audit(uow, AuditAction.SESSION_ENDED, actor_id=user_id, target=str(session_id), at=self.clock.now(),
              reason=reason.value)

    def _pair(self, user: User, session: Session) -> TokenPair:
        return TokenPair(access_token=self.tokens.issue(user.id, kind=TokenKind.ACCESS, session_id=session.id),
                         refresh_token=self.tokens.issue(user.id, kind=TokenKind.REFRESH, session_id=session.id,
                                                         token_id=session.refresh_token_id),
                         user=user, session_id=session.id)
