"""Login sessions: rotation and revocation as conditional UPDATEs (one statement each, so of two
racing requests the database lets one win)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, bindparam, select

from adapters.persistence.repositories.base import SqlAlchemyRepository, row_values
from adapters.persistence.tables import sessions
from domain.sessions import RevocationReason, Session, SessionChannel

_BY_ID = select(sessions).where(sessions.c.id == bindparam("session_id"))  # built once: the access check's read


class SqlAlchemySessionRepository(SqlAlchemyRepository):
    def add(self, session: Session) -> None:
        self._conn.execute(sessions.insert().values(**row_values(session)))

    def get(self, session_id: uuid.UUID) -> Session | None:
        row = self._conn.execute(_BY_ID, {"session_id": session_id}).mappings().one_or_none()
        return _session(row) if row is not None else None

    def rotate(self, session_id: uuid.UUID, *, spent: str, successor: str, at: datetime,
               expires_at: datetime) -> bool:
        result = self._conn.execute(
            sessions.update()
            .where(sessions.c.id == session_id, sessions.c.refresh_token_id == spent, sessions.c.revoked_at.is_(None))
            .values(refresh_token_id=successor, refreshed_at=at, expires_at=expires_at))
        return result.rowcount == 1

    def revoke(self, session_id: uuid.UUID, *, at: datetime, reason: RevocationReason) -> bool:
        result = self._conn.execute(
            sessions.update().where(sessions.c.id == session_id, sessions.c.revoked_at.is_(None))
            .values(revoked_at=at, revoked_reason=reason.value))
        return result.rowcount == 1

    def revoke_for_user(self, user_id: uuid.UUID, *, at: datetime, reason: RevocationReason) -> list[uuid.UUID]:
        active = (sessions.c.user_id == user_id) & sessions.c.revoked_at.is_(None)
        ids = list(self._conn.execute(select(sessions.c.id).where(active)).scalars())
        if ids:
            self._conn.execute(sessions.update().where(active, sessions.c.id.in_(ids))
                               .values(revoked_at=at, revoked_reason=reason.value))
        return ids

    def list_for_user(self, user_id: uuid.UUID) -> list[Session]:
        query = (select(sessions).where(sessions.c.user_id == user_id)
                 .order_by(sessions.c.created_at.desc(), sessions.c.id.desc()))
        return [_session(row) for row in self._conn.execute(query).mappings()]


def _session(row: RowMapping) -> Session:
    values: dict[str, Any] = dict(row)
    values["channel"] = SessionChannel(values["channel"])
    reason = values["revoked_reason"]
    values["revoked_reason"] = RevocationReason(reason) if reason is not None else None
    return Session(**values)
