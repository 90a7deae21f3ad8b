"""A period's usage, latency histogram and distinct users, read from the rollups for the days the
job has closed and from the conversations for the rest (today, and any day the job has not reached).

The rolled-up days are contiguous up to a watermark (the newest usage_daily_global row, written
for every day, zeros included), so a period splits in two at the watermark: at most 365 rollup
rows, plus the open days' conversations found through an index leading with created_at. Before the
job's first run the watermark is absent and everything is read from the conversations: right, only
slower.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, exists, func, select

from adapters.persistence.repositories import usage_sql
from adapters.persistence.tables import conversations, usage_active_users, usage_daily, usage_daily_global
from domain import latency
from domain.conversations import DailyUsage


def watermark(connection: Connection) -> date | None:
    """The newest rolled-up day; every day before it down to the first one is rolled up too."""
    return connection.execute(select(func.max(usage_daily_global.c.day))).scalar_one_or_none()


def _split(connection: Connection, since: datetime) -> tuple[date | None, datetime]:
    """(the last rolled-up day of the period, or None when none is; where the open days begin).
    Rollups hold whole days: a period that does not start at midnight UTC is read from the rows."""
    if since.astimezone(UTC).timetz() != time(tzinfo=UTC):
        return None, since
    last = watermark(connection)
    if last is None or last < since.astimezone(UTC).date():
        return None, since
    return last, datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC)


def _rollup(user_id: uuid.UUID | None):
    return usage_daily_global if user_id is None else usage_daily


def _rolled(connection: Connection, user_id: uuid.UUID | None, since: datetime, last: date, *columns: str) -> list:
    """The period's rollup rows up to ``last``, only ``columns`` (the histogram is JSON: parsed only
    when asked for)."""
    table = _rollup(user_id)
    query = (select(table.c.day, *(table.c[name] for name in columns)).where(table.c.day >= since.astimezone(UTC).date(), table.c.day <= last)
             .order_by(table.c.day))
    if user_id is not None:
        query = query.where(table.c.user_id == user_id)
    return list(connection.execute(query))


def usage_by_day(connection: Connection, user_id: uuid.UUID | None, since: datetime) -> list[DailyUsage]:
    """Days with questions only, oldest first."""
    last, open_from = _split(connection, since)
    days = []
    if last is not None:
        days = [DailyUsage(day=row.day, questions=row.questions, cached=row.cached, tokens_in=row.tokens_in,
                           tokens_out=row.tokens_out, cost_usd=round(float(row.cost_usd), 6))
                for row in _rolled(connection, user_id, since, last, "questions", "cached", "tokens_in", "tokens_out",
                                   "cost_usd") if row.questions]
    for row in usage_sql.sums(connection, usage_sql.day_of(connection), usage_sql.period(user_id, open_from)):
        days.append(DailyUsage(day=date.fromisoformat(row.key), questions=int(row.questions),
                               cached=int(row.cached or 0), tokens_in=int(row.tokens_in or 0),
                               tokens_out=int(row.tokens_out or 0), cost_usd=round(float(row.cost_usd or 0), 6)))
    return days


def latency_histogram(connection: Connection, user_id: uuid.UUID | None, since: datetime) -> dict[int, int]:
    last, open_from = _split(connection, since)
    parts = []
    if last is not None:
        parts = [{int(k): int(v) for k, v in row.latency_histogram.items()}
                 for row in _rolled(connection, user_id, since, last, "latency_histogram")]
    parts.extend(usage_sql.histograms(connection, None, usage_sql.period(user_id, open_from)).values())
    return latency.merge(parts)


def count_users(connection: Connection, since: datetime) -> int:
    """Distinct users who asked since ``since``: those whose last rolled-up day with a question is in
    the period (an index-only count), plus those who asked on the open days and are not among them
    (a period always ends now)."""
    last, open_from = _split(connection, since)
    c = conversations.c
    if last is None:
        return int(connection.execute(select(func.count(c.user_id.distinct())).where(c.created_at >= open_from))
                   .scalar_one())
    first_day, active = since.astimezone(UTC).date(), usage_active_users.c
    rolled = select(func.count()).select_from(usage_active_users).where(active.last_day >= first_day)
    counted = exists().where(active.user_id == c.user_id, active.last_day >= first_day)
    only_open = select(func.count(c.user_id.distinct())).where(c.created_at >= open_from, ~counted)
    return int(connection.execute(select(rolled.scalar_subquery() + only_open.scalar_subquery())).scalar_one())
