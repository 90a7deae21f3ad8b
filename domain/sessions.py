"""A login session: what a refresh token family is, and what access tokens point back to.

A session starts at a login (or a Telegram link-code exchange). Its refresh tokens form one
family: each refresh spends the current token and names its successor (``refresh_token_id``),
so a refresh token works once. A refresh token of the family presented again after it was spent
is a reuse: someone holds a copy, and the whole session is revoked. Logging out revokes the
session; changing the password revokes every session of the user. Access tokens carry the
session id and stop working once the session is revoked (see application.use_cases.session_guard).
API keys are not sessions. A web session (the dashboard's cookie) has no refresh tokens: its one
cookie token lives as long as a refresh token would, and ends with the session.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import attrs


class SessionChannel(StrEnum):
    PASSWORD = "password"  # POST /auth/login
    TELEGRAM_CODE = "telegram_code"  # POST /auth/telegram-code
    WEB = "web"  # the dashboard's sign-in: one cookie token (kind "web"), no refresh token


class RevocationReason(StrEnum):
    LOGOUT = "logout"
    REFRESH_REUSED = "refresh_reused"  # a spent refresh token came back: the family is compromised
    PASSWORD_CHANGED = "password_changed"
    ACCOUNT_LINKED = "account_linked"  # the account was merged into another (a Telegram link)


@attrs.define(kw_only=True)
class Session:
    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    user_id: uuid.UUID
    channel: SessionChannel
    refresh_token_id: str  # the ``jti`` of the one refresh token of the family that may still be used
    created_at: datetime
    refreshed_at: datetime  # the last rotation (the creation, before the first)
    expires_at: datetime  # the end of the current refresh token's life: the session ends with it
    revoked_at: datetime | None = None
    revoked_reason: RevocationReason | None = None

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
