"""Login sessions (refresh token families), reached through the unit of work."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from domain.sessions import RevocationReason, Session


class SessionRepository(Protocol):
    """Rotation and revocation are conditional single-statement writes, so two requests racing on
    one session cannot both win: of two refreshes with the same token at most one rotates it."""

    def add(self, session: Session) -> None: ...
    def get(self, session_id: uuid.UUID) -> Session | None: ...
    def rotate(self, session_id: uuid.UUID, *, spent: str, successor: str, at: datetime,
               expires_at: datetime) -> bool:
        """Replace the current refresh token id ``spent`` by ``successor`` (and set refreshed_at and
        expires_at) if the session is not revoked and ``spent`` is still its current one; False
        when nothing was written."""
        ...
    def revoke(self, session_id: uuid.UUID, *, at: datetime, reason: RevocationReason) -> bool:
        """Revoke the session unless it already is (the first revocation stays); True when this
        call revoked it."""
        ...
    def revoke_for_user(self, user_id: uuid.UUID, *, at: datetime, reason: RevocationReason) -> list[uuid.UUID]:
        """Revoke every session of the user not revoked yet; their ids."""
        ...
    def list_for_user(self, user_id: uuid.UUID) -> list[Session]:
        """Newest first, revoked ones included."""
        ...
