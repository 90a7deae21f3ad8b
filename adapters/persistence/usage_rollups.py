"""The analytics rollup job's database side: closed UTC days of conversations summed into
usage_daily (per user), usage_daily_global and usage_active_users, and the document count deltas
folded into document_counts.

A day is closed ``grace`` after its end (a question stamped just before midnight may commit just
after it); from then on its rows do not change, so its rollup is exact. Rollups are history: a
conversation deleted later (its document deleted, retention) stays counted in its day; a deleted
user's own rows go with the user (foreign keys), the global ones stay.

Up to ``BATCH_DAYS`` days go in one transaction (a catch-up after a restore, or the first run over
a year of questions; once caught up, one day per run). Several workers may run the job: each
day's global row goes in first, so a second worker rolling the same days fails on its primary key,
rolls back and stops for this run.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import structlog
from sqlalchemy import Connection, Engine, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from adapters.persistence.repositories import usage_sql, usage_reads
from adapters.persistence.repositories.document_counts import fold_deltas
from adapters.persistence.row_security import act_as_worker
from adapters.persistence.tables import conversations, usage_active_users, usage_daily, usage_daily_global
from application.ports.rollups import RollupRun
from domain.latency import merge

log = structlog.get_logger(__name__)

BATCH_DAYS = 31  # days per transaction in a catch-up (one, once caught up)


class SqlAlchemyAnalyticsRollups:
    def __init__(self, engine: Engine, *, grace: timedelta = timedelta(minutes=10), max_days: int = 400) -> None:
        self._engine, self._grace, self._max_days = engine, grace, max_days

    def run(self, now: datetime) -> RollupRun:
        """Roll up the closed days after the watermark (at most ``max_days``), oldest first, and
        fold the document count deltas."""
        last_closed = (now.astimezone(UTC) - self._grace).date() - timedelta(days=1)
        days: list[date] = []
        with self._engine.connect() as connection:
            act_as_worker(connection)  # under row-level security, a transaction naming nobody sees no questions
            day = self._first_day(connection, last_closed)
        while day is not None and day <= last_closed and len(days) < self._max_days:
            batch = [day + timedelta(days=i) for i in range(min(BATCH_DAYS, (last_closed - day).days + 1,
                                                                self._max_days - len(days)))]
            try:
                with self._engine.begin() as connection:
                    act_as_worker(connection)
                    _active_users(connection, {user: d for d in batch for user in _roll_up(connection, d)})
            except IntegrityError:  # another worker rolled (some of) them up first
                log.info("rollup_taken", first_day=batch[0].isoformat())
                break
            days.extend(batch)
            day = batch[-1] + timedelta(days=1)
        with self._engine.begin() as connection:
            act_as_worker(connection)
            folded = fold_deltas(connection)
        return RollupRun(days=tuple(days), document_deltas=folded)

    @staticmethod
    def _first_day(connection: Connection, last_closed: date) -> date | None:
        """The day after the watermark; without one, the first day with a question (or the last
        closed day, when there are none: the watermark has to start somewhere)."""
        done = usage_reads.watermark(connection)
        if done is not None:
            return done + timedelta(days=1)
        first = connection.execute(select(func.min(conversations.c.created_at))).scalar_one_or_none()
        return min(first.astimezone(UTC).date(), last_closed) if first is not None else last_closed


def _roll_up(connection: Connection, day: date) -> list:
    """Insert the day's rollup rows; returns the users who asked that day."""
    start = datetime.combine(day, time(), tzinfo=UTC)
    conditions = usage_sql.period(None, start, start + timedelta(days=1))
    per_user = usage_sql.sums(connection, conversations.c.user_id, conditions)
    histograms = usage_sql.histograms(connection, conversations.c.user_id, conditions)
    everyone = merge(histograms.values())
    totals = {name: sum((getattr(row, name) or 0) for row in per_user)
              for name in ("questions", "cached", "tokens_in", "tokens_out", "cost_usd")}
    connection.execute(usage_daily_global.insert(), {
        "day": day, **_ints(totals), "cost_usd": round(float(totals["cost_usd"]), 6),
        "latency_histogram": _json(everyone), "users": len(per_user)})
    if per_user:
        connection.execute(usage_daily.insert(), [
            {"user_id": row.key, "day": day, **_ints(row._mapping), "cost_usd": round(float(row.cost_usd or 0), 6),
             "latency_histogram": _json(histograms.get(row.key, {}))} for row in per_user])
    return [row.key for row in per_user]


def _active_users(connection: Connection, last_days: dict) -> None:
    """Each user's last day with a question, once per batch of days (an update per user and day
    would leave a dead row per user and day behind, which a catch-up over a year multiplies)."""
    if not last_days:
        return
    users = list(last_days)
    known: set = set()
    for start in range(0, len(users), 5000):  # SQLite caps the parameters of one statement
        known.update(connection.execute(select(usage_active_users.c.user_id)
                                        .where(usage_active_users.c.user_id.in_(users[start:start + 5000]))).scalars())
    if known:
        connection.execute(usage_active_users.update()
                           .where(usage_active_users.c.user_id == bindparam("user"),
                                  usage_active_users.c.last_day < bindparam("day"))
                           .values(last_day=bindparam("day")),
                           [{"user": u, "day": last_days[u]} for u in known])
    if fresh := [u for u in users if u not in known]:
        connection.execute(usage_active_users.insert(), [{"user_id": u, "last_day": last_days[u]} for u in fresh])


def _ints(values) -> dict[str, int]:
    return {name: int(values[name] or 0) for name in ("questions", "cached", "tokens_in", "tokens_out")}


def _json(histogram: dict[int, int]) -> dict[str, int]:
    return {str(index): count for index, count in sorted(histogram.items())}
