"""A period's usage, latency histogram and distinct users, read from the rollups for the days the
job has closed and from the conversations for the rest (today, and any day the job has not reached).

The rolled-up days are contiguous up to a watermark (the newest usage_daily_global row, written
for every day, zeros included), so a period splits in two at the watermark: at most 365 rollup
rows, plus the open days' conversations found through an index leading with created_at. Before the
job's first run the watermark is absent and everything is read from the conversations: right, only
slower.

A report (``report``) reads the watermark once and makes one pass over the open days' rows (sums
per day and latency bucket, added up here); the rolled-up days' histograms are summed by the
database, so one row comes back instead of a JSON document per day to parse.
"""

from __future__ import annotations

import functools
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (ColumnElement, Connection, Executable, Integer, Table, bindparam, cast, exists, func,
                        literal_column, select, true)

from adapters.persistence.repositories import usage_sql
from adapters.persistence.tables import conversations, usage_active_users, usage_daily, usage_daily_global
from domain.conversations import DailyUsage, PeriodUsage
from domain.latency import OVERFLOW

c = conversations.c


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


def _rollup(user_id: uuid.UUID | None) -> Table:
    return usage_daily_global if user_id is None else usage_daily


def _rolled_period(table: Table, per_user: bool) -> list[ColumnElement[bool]]:
    conditions = [table.c.day >= bindparam("first_day"), table.c.day <= bindparam("last_day")]
    return conditions + [table.c.user_id == bindparam("user_id")] if per_user else conditions


# The report's statements are built once (per dialect and scope) and executed with parameters:
# building and cache-keying a statement of 63 sums or a 62-way CASE costs more than running it.
@functools.cache
def _statements(dialect: str, per_user: bool) -> dict[str, Executable]:
    table = usage_daily if per_user else usage_daily_global
    where = _rolled_period(table, per_user)
    days = (select(table.c.day, table.c.questions, table.c.cached, table.c.tokens_in, table.c.tokens_out,
                   table.c.cost_usd).where(*where, table.c.questions > 0).order_by(table.c.day))
    if dialect == "postgresql":  # a sum per bucket index: a jsonb key lookup each, cheaper than expanding them
        histogram: Executable = select(*(func.sum(literal_column(f"({table.name}.latency_histogram ->> '{index}')::int"))
                                         for index in range(OVERFLOW + 1))).where(*where)
    else:  # SQLite keeps JSON as text: json_each parses each row once
        each = func.json_each(table.c.latency_histogram).table_valued("key", "value")
        histogram = (select(each.c.key, func.sum(each.c.value)).select_from(table).join(each, true()).where(*where)
                     .group_by(each.c.key))
    day, bucket = usage_sql.day_of(dialect).label("day"), usage_sql.bucket(dialect).label("bucket")
    open_rows = [c.created_at >= bindparam("open_from")] + ([c.user_id == bindparam("user_id")] if per_user else [])
    open_days = (select(day, bucket, func.count().label("n"), func.sum(cast(c.cached, Integer)).label("cached"),
                        func.sum(c.tokens_in).label("tokens_in"), func.sum(c.tokens_out).label("tokens_out"),
                        func.sum(c.cost_usd).label("cost_usd"))
                 .where(*open_rows).group_by(day, bucket))
    return {"days": days, "histogram": histogram, "open_days": open_days}


def _rolled_days(connection: Connection, statement: Executable, values: dict) -> list[DailyUsage]:
    """The period's rolled-up days with questions, oldest first."""
    return [DailyUsage(day=row.day, questions=row.questions, cached=row.cached, tokens_in=row.tokens_in,
                       tokens_out=row.tokens_out, cost_usd=round(float(row.cost_usd), 6))
            for row in connection.execute(statement, values)]


def _rolled_histogram(connection: Connection, statement: Executable, values: dict) -> dict[int, int]:
    """The period's rolled-up histograms summed by the database (PostgreSQL: one row of a sum per
    bucket index; SQLite: a row per bucket index present)."""
    rows = connection.execute(statement, values).all()
    if connection.dialect.name == "postgresql":
        return {index: int(count) for index, count in enumerate(rows[0]) if count}
    return {int(key): int(count) for key, count in rows if count}


def _open_days(connection: Connection, statement: Executable, values: dict) -> tuple[list[DailyUsage], dict[int, int]]:
    """The open days' questions in one pass over their rows, grouped by (day, latency bucket): the
    days with questions, oldest first, and the histogram."""
    days: dict[str, list] = {}
    histogram: dict[int, int] = {}
    for row in connection.execute(statement, values):
        n = int(row.n)
        histogram[int(row.bucket)] = histogram.get(int(row.bucket), 0) + n
        sums = days.setdefault(row.day, [0, 0, 0, 0, 0.0])
        for i, value in enumerate((n, row.cached, row.tokens_in, row.tokens_out, row.cost_usd)):
            sums[i] += value or 0
    daily = [DailyUsage(day=date.fromisoformat(key), questions=s[0], cached=int(s[1]), tokens_in=int(s[2]),
                        tokens_out=int(s[3]), cost_usd=round(float(s[4]), 6)) for key, s in sorted(days.items())]
    return daily, histogram


def usage_by_day(connection: Connection, user_id: uuid.UUID | None, since: datetime) -> list[DailyUsage]:
    """Days with questions only, oldest first: the rolled-up days, then the open ones, read as the
    report reads them (``report`` without its histogram sums and users)."""
    last, open_from = _split(connection, since)
    statements = _statements(connection.dialect.name, user_id is not None)
    values = {"first_day": since.astimezone(UTC).date(), "last_day": last, "open_from": open_from, "user_id": user_id}
    days = _rolled_days(connection, statements["days"], values) if last is not None else []
    return days + _open_days(connection, statements["open_days"], values)[0]


def report(connection: Connection, user_id: uuid.UUID | None, since: datetime, *, count_users: bool) -> PeriodUsage:
    """The days with questions (oldest first), the latency histogram and, with ``count_users``
    (everyone's only), the distinct users, over the period from ``since``."""
    if count_users and user_id is not None:
        raise ValueError("distinct users are counted for everyone's questions only")
    last, open_from = _split(connection, since)
    statements = _statements(connection.dialect.name, user_id is not None)
    values = {"first_day": since.astimezone(UTC).date(), "last_day": last, "open_from": open_from, "user_id": user_id}
    daily, histogram = _open_days(connection, statements["open_days"], values)
    if last is not None:
        daily = _rolled_days(connection, statements["days"], values) + daily
        for index, count in _rolled_histogram(connection, statements["histogram"], values).items():
            histogram[index] = histogram.get(index, 0) + count
    users = _count_users(connection, since, last, open_from) if count_users else None
    return PeriodUsage(daily=tuple(daily), latency_histogram=histogram, users=users)


def _count_users(connection: Connection, since: datetime, last: date | None, open_from: datetime) -> int:
    """Distinct users who asked since ``since``: those whose last rolled-up day with a question is in
    the period (an index-only count), plus those who asked on the open days and are not among them
    (a period always ends now)."""
    if last is None:
        return int(connection.execute(select(func.count(c.user_id.distinct())).where(c.created_at >= open_from))
                   .scalar_one())
    first_day, active = since.astimezone(UTC).date(), usage_active_users.c
    rolled = select(func.count()).select_from(usage_active_users).where(active.last_day >= first_day)
    counted = exists().where(active.user_id == c.user_id, active.last_day >= first_day)
    only_open = select(func.count(c.user_id.distinct())).where(c.created_at >= open_from, ~counted)
    return int(connection.execute(select(rolled.scalar_subquery() + only_open.scalar_subquery())).scalar_one())
