"""The audit log: append and read, nothing else (no update, no delete: the trail is append-only,
and on PostgreSQL migration 0010's trigger refuses both to anyone)."""

from __future__ import annotations

import uuid
from datetime import datetime

import attrs
from sqlalchemy import and_, or_, select

from adapters.persistence.repositories.base import ConnectionSource, SqlAlchemyRepository, row_values
from adapters.persistence.tables import audit_log
from application.ports.request_context import RequestContext
from domain.analytics import AuditEntry, AuditFilter

_INSERT = audit_log.insert()  # built once; the values are parameters
_NEWEST_FIRST = (audit_log.c.created_at.desc(), audit_log.c.id.desc())


class SqlAlchemyAuditLog(SqlAlchemyRepository):
    def __init__(self, connection: ConnectionSource, context: RequestContext | None = None) -> None:
        super().__init__(connection)
        self._context = context

    def add(self, entry: AuditEntry) -> None:
        if self._context is not None and entry.client_address is None and entry.request_id is None:
            origin = self._context.origin()
            entry = attrs.evolve(entry, client_address=origin.client_address, request_id=origin.request_id)
        self._conn.execute(_INSERT, row_values(entry))

    def list(self, *, limit: int = 100) -> list[AuditEntry]:
        """Newest first."""
        return self.page(AuditFilter(), limit=limit)

    def page(self, where: AuditFilter, *, after: tuple[datetime, uuid.UUID] | None = None,
             limit: int = 50) -> list[AuditEntry]:
        query = select(audit_log)
        if where.actor_id is not None:
            query = query.where(audit_log.c.actor_id == where.actor_id)
        if where.action is not None:
            query = query.where(audit_log.c.action == where.action)
        if where.target is not None:
            query = query.where(audit_log.c.target == where.target)
        if where.since is not None:
            query = query.where(audit_log.c.created_at >= where.since)
        if where.until is not None:
            query = query.where(audit_log.c.created_at < where.until)
        if after is not None:
            at, entry_id = after
            query = query.where(or_(audit_log.c.created_at < at,
                                    and_(audit_log.c.created_at == at, audit_log.c.id < entry_id)))
        query = query.order_by(*_NEWEST_FIRST).limit(limit)
        return [AuditEntry(**dict(row)) for row in self._conn.execute(query).mappings()]
