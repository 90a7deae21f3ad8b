"""Moving one user's rows to another (application.ports.accounts.AccountMerge).

``MOVED`` and ``NOT_MOVED`` together name every column that refers to users.id; a contract test
compares them with the schema, so a table added later with a user column cannot be forgotten here.
The usage rollups are keyed by user (and day): a day both users have is summed into the target's
row rather than re-keyed, which would collide on the primary key."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Column, Table, delete, select, update

from adapters.persistence.repositories.base import SqlAlchemyRepository
from adapters.persistence.tables import (
    analytics_events,
    api_keys,
    conversations,
    documents,
    sessions,
    threads,
    usage_active_users,
    usage_daily,
    users,
)
from application.ports.accounts import MovedBelongings

# (result field, table, owner column): plain re-keying, in this order (threads before the
# conversations naming them is not required by any constraint, but keeps the order readable)
MOVED: tuple[tuple[str, Table, Column[Any]], ...] = (
    ("documents", documents, documents.c.owner_id),
    ("threads", threads, threads.c.user_id),
    ("conversations", conversations, conversations.c.user_id),
    ("events", analytics_events, analytics_events.c.user_id),
    ("api_keys", api_keys, api_keys.c.user_id),
)
MERGED = (usage_daily.c.user_id, usage_active_users.c.user_id)  # summed / kept at the later day
NOT_MOVED = (sessions.c.user_id,)  # ended by the caller, deleted with the account
_SUMMED = ("questions", "cached", "tokens_in", "tokens_out", "cost_usd")


class SqlAlchemyAccountMerge(SqlAlchemyRepository):
    def move_belongings(self, source_id: uuid.UUID, target_id: uuid.UUID) -> MovedBelongings:
        counts: dict[str, int] = {}
        for name, table, column in MOVED:
            result = self._conn.execute(update(table).where(column == source_id).values({column.name: target_id}))
            counts[name] = result.rowcount
        self._merge_usage_days(source_id, target_id)
        self._merge_last_active_day(source_id, target_id)
        return MovedBelongings(**counts)

    def delete_account(self, user_id: uuid.UUID) -> None:
        self._conn.execute(delete(users).where(users.c.id == user_id))

    def _merge_usage_days(self, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
        theirs = self._conn.execute(select(usage_daily).where(usage_daily.c.user_id == source_id)).mappings().all()
        if not theirs:
            return
        days = [row["day"] for row in theirs]
        ours = {row["day"]: row for row in self._conn.execute(
            select(usage_daily).where(usage_daily.c.user_id == target_id, usage_daily.c.day.in_(days))).mappings()}
        for row in theirs:
            mine = ours.get(row["day"])
            if mine is None:
                continue
            values: dict[str, Any] = {name: (mine[name] or 0) + (row[name] or 0) for name in _SUMMED}
            values["cost_usd"] = round(float(values["cost_usd"]), 6)
            values["latency_histogram"] = _summed_histograms(mine["latency_histogram"], row["latency_histogram"])
            self._conn.execute(update(usage_daily).where(usage_daily.c.user_id == target_id,
                                                         usage_daily.c.day == row["day"]).values(values))
        if ours:
            self._conn.execute(delete(usage_daily).where(usage_daily.c.user_id == source_id,
                                                         usage_daily.c.day.in_(list(ours))))
        self._conn.execute(update(usage_daily).where(usage_daily.c.user_id == source_id).values(user_id=target_id))

    def _merge_last_active_day(self, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
        table = usage_active_users
        last = {user_id: day for user_id, day in self._conn.execute(
            select(table.c.user_id, table.c.last_day).where(table.c.user_id.in_([source_id, target_id])))}
        if source_id not in last:
            return
        self._conn.execute(delete(table).where(table.c.user_id == source_id))
        if target_id not in last:
            self._conn.execute(table.insert().values(user_id=target_id, last_day=last[source_id]))
        elif last[source_id] > last[target_id]:
            self._conn.execute(update(table).where(table.c.user_id == target_id).values(last_day=last[source_id]))


def _summed_histograms(*histograms: dict[str, int] | None) -> dict[str, int]:
    """The rollups' latency histograms (bucket index as a string -> count) added up."""
    total: dict[int, int] = {}
    for histogram in histograms:
        for index, count in (histogram or {}).items():
            total[int(index)] = total.get(int(index), 0) + int(count)
    return {str(index): count for index, count in sorted(total.items())}
