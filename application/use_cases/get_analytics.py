"""Analytics over the last ``days`` UTC days (today included): questions, tokens and cost per day,
latency percentiles, cache hit rate, and documents by kind and status; a user's own, or everyone's
(administrators only).

Sums are grouped in SQL (per UTC day, per kind and status). Latency percentiles are computed here
over the period's latency values, which the repository returns sorted: SQLite has no percentile
function, and one integer per question is cheap at this product's scale (a million questions in a
period is a few megabytes; PostgreSQL's ``percentile_disc`` would be the step after that).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, timedelta
from enum import StrEnum

import attrs

from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, admin_user
from domain.conversations import DailyTotals, DailyUsage, period_start
from domain.documents import DocumentKind, DocumentStatus
from domain.errors import InvalidInput

MAX_DAYS = 365


class Scope(StrEnum):
    OWN = "own"  # the caller's questions and documents
    GLOBAL = "global"  # everyone's (administrators only)


@attrs.frozen(kw_only=True)
class Percentiles:
    p50: int
    p90: int
    p99: int


def percentiles(ascending: Sequence[int]) -> Percentiles | None:
    """Nearest-rank percentiles (always one of the observed values) of ascending values; None when empty."""
    if not ascending:
        return None

    def rank(p: int) -> int:
        return ascending[max(math.ceil(p / 100 * len(ascending)), 1) - 1]

    return Percentiles(p50=rank(50), p90=rank(90), p99=rank(99))


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

    def __call__(self, actor_id: uuid.UUID, *, scope: Scope | str = Scope.OWN, days: int = 30) -> AnalyticsReport:
        scope = _scope(scope)
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput(f"days must be between 1 and {MAX_DAYS}.", days=days)
        now = self.clock.now()
        since = period_start(now, days)
        first_day, last_day = since.date(), now.astimezone(UTC).date()
        with self.uow as uow:
            if scope is Scope.GLOBAL:
                admin_user(uow, actor_id)
                owner: uuid.UUID | None = None
            else:
                owner = active_user(uow, actor_id).id
            daily = uow.conversations.usage_by_day(owner, since=since)
            latencies = uow.conversations.latencies(owner, since=since)
            documents = uow.documents.counts_by_kind_and_status(owner)
            active_users = uow.conversations.count_users(since=since) if scope is Scope.GLOBAL else None
        by_kind: dict[DocumentKind, int] = {}
        by_status: dict[DocumentStatus, int] = {}
        for (kind, status), count in documents.items():
            by_kind[kind] = by_kind.get(kind, 0) + count
            by_status[status] = by_status.get(status, 0) + count
        return AnalyticsReport(scope=scope, first_day=first_day, last_day=last_day,
                               daily=_every_day(daily, first_day, last_day), latency_ms=percentiles(latencies),
                               documents_by_kind=by_kind, documents_by_status=by_status, active_users=active_users)


def _scope(value: Scope | str) -> Scope:
    try:
        return Scope(value)
    except ValueError:
        raise InvalidInput("scope must be 'own' or 'global'.", scope=str(value)) from None


def _every_day(daily: Sequence[DailyUsage], first: date, last: date) -> tuple[DailyUsage, ...]:
    known = {d.day: d for d in daily}
    return tuple(known.get(first + timedelta(days=i)) or DailyUsage(day=first + timedelta(days=i))
                 for i in range((last - first).days + 1))
