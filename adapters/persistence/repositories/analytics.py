"""Analytics events and the audit log: append-only records with JSON data."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from adapters.persistence.repositories.base import SqlAlchemyRepository, row_values
from adapters.persistence.tables import analytics_events, audit_log
from domain.analytics import AnalyticsEvent, AuditEntry, EventType


_INSERT_EVENT = analytics_events.insert()  # built once; the values are parameters


class SqlAlchemyAnalyticsRepository(SqlAlchemyRepository):
    def add(self, event: AnalyticsEvent) -> None:
        self._conn.execute(_INSERT_EVENT, row_values(event))

    def list_for_user(self, user_id: uuid.UUID, *, since: datetime | None = None) -> list[AnalyticsEvent]:
        """Oldest first; ``since`` is inclusive."""
        query = select(analytics_events).where(analytics_events.c.user_id == user_id)
        if since is not None:
            query = query.where(analytics_events.c.created_at >= since)
        query = query.order_by(analytics_events.c.created_at, analytics_events.c.id)
        return [AnalyticsEvent(**dict(row) | {"type": EventType(row["type"])})
                for row in self._conn.execute(query).mappings()]


class SqlAlchemyAuditLog(SqlAlchemyRepository):
    def add(self, entry: AuditEntry) -> None:
        self._conn.execute(audit_log.insert().values(**row_values(entry)))

    def list(self, *, limit: int = 100) -> list[AuditEntry]:
        """Newest first."""
        query = select(audit_log).order_by(audit_log.c.created_at.desc(), audit_log.c.id.desc()).limit(limit)
        return [AuditEntry(**dict(row)) for row in self._conn.execute(query).mappings()]
