"""Analytics over the last ``days`` UTC days (today included): questions, tokens and cost per day,
latency percentiles, cache hit rate, and documents by kind and status; a user's own, or everyone's
(administrators only).

Nothing here scans the period's questions: the repository answers from daily rollups for the
closed days and from the rows of the open ones, latencies as a histogram with fixed buckets
(domain.latency), whose percentiles are bucket upper bounds; everyone's documents are counted from
totals kept by the database. A year's global report reads a few hundred rows (see bench/scale.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import StrEnum

import attrs

from application.ports.clock import Clock
from application.audit import audit
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, admin_user
from domain.analytics import AuditAction
from domain.conversations import DailyTotals, DailyUsage, every_day, period_start
from domain.documents import DocumentKind, DocumentStatus
from domain.errors import InvalidInput
from domain.latency import Percentiles, percentiles

MAX_DAYS = 365


class Scope(StrEnum):
    OWN = "own"  # the caller's questions and documents
    GLOBAL = "global"  # everyone's (administrators only)


@attrs.frozen(kw_only=True)
class AnalyticsReport(DailyTotals):
    scope: Scope
    first_day: date
    last_day: date  # today (UTC)
    daily: tuple[DailyUsage, ...]  # every day of the period, oldest first, days without questions as zeros
    latency_ms: Percentiles | None  # None without questions in the period
    documents_by_kind: Mapping[DocumentKind, int]  # documents existing now (not only the period's); absent: 0
    documents_by_status: Mapping[DocumentStatus, int]
    active_users: int | None = None  # global scope: distinct users who asked in the period

    @property
    def cache_hit_rate(self) -> float | None:
        """Share of the period's questions answered from the cache; None without questions."""
        return round(self.cached / self.questions, 4) if self.questions else None


@attrs.define
class GetAnalytics:
    uow: UnitOfWork
    clock: Clock
    audit_uow: UnitOfWork | None = None  # a global read's audit entry (``uow`` may be a read-only replica's)

    def __call__(self, actor_id: uuid.UUID, *, scope: Scope | str = Scope.OWN, days: int = 30) -> AnalyticsReport:
        scope = _scope(scope)
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput(f"days must be between 1 and {MAX_DAYS}.", days=days)
        now = self.clock.now()
        since = period_start(now, days)
        first_day, last_day = since.date(), now.astimezone(UTC).date()
        if scope is Scope.GLOBAL:
            self._audit_global_read(actor_id, days, now)
        with self.uow as uow:
            if scope is Scope.GLOBAL:
                uow.act_as_admin()  # checked just now on the primary, in the audit entry's transaction
                owner: uuid.UUID | None = None
            else:
                owner = active_user(uow, actor_id).id
            usage = uow.conversations.usage_report(owner, since=since, count_users=scope is Scope.GLOBAL)
            documents = uow.documents.counts_by_kind_and_status(owner)
        by_kind: dict[DocumentKind, int] = {}
        by_status: dict[DocumentStatus, int] = {}
        for (kind, status), count in documents.items():
            by_kind[kind] = by_kind.get(kind, 0) + count
            by_status[status] = by_status.get(status, 0) + count
        return AnalyticsReport(scope=scope, first_day=first_day, last_day=last_day,
                               daily=every_day(usage.daily, first_day, last_day),
                               latency_ms=percentiles(usage.latency_histogram), documents_by_kind=by_kind,
                               documents_by_status=by_status, active_users=usage.users)

    def _audit_global_read(self, actor_id: uuid.UUID, days: int, now: datetime) -> None:
        """Committed before the report is read (an administrator's only: anyone else is refused
        here), so the read is audited even if reading it fails."""
        with self.audit_uow or self.uow as uow:
            admin_user(uow, actor_id)
            audit(uow, AuditAction.GLOBAL_ANALYTICS_READ, actor_id=actor_id, target="analytics", at=now, days=days)
            uow.commit()


def _scope(value: Scope | str) -> Scope:
    try:
        return Scope(value)
    except ValueError:
        raise InvalidInput("scope must be 'own' or 'global'.", scope=str(value)) from None


