"""Analytics events: append-only records with JSON data (the audit log is in audit.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from adapters.persistence.repositories.base import SqlAlchemyRepository, row_values
from adapters.persistence.tables import analytics_events
from domain.analytics import AnalyticsEvent, EventType


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

