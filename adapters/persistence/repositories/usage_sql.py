"""SQL over the conversations themselves that both the rollup job and the reports' open days use:
usage grouped by a key (the UTC day, or the user), and the latency histogram grouped likewise.

Both dialects: SQLite keeps naive UTC text (its first ten characters are the day), PostgreSQL
timestamptz (converted to UTC before taking the day). The latency bucket is a CASE over
domain.latency's bounds, so the database counts per bucket and only the counts travel.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Integer, case, cast, func, select

from adapters.persistence.tables import conversations
from domain.latency import BOUNDS_MS, OVERFLOW

c = conversations.c


def day_of(connection: Connection) -> ColumnElement[str]:
    """A conversation's UTC day as 'YYYY-MM-DD'."""
    if connection.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", c.created_at), "YYYY-MM-DD")
    return func.substr(c.created_at, 1, 10)


BUCKET: ColumnElement[int] = case(*((c.latency_ms <= bound, index) for index, bound in enumerate(BOUNDS_MS)),
                                  else_=OVERFLOW)


def period(user_id: uuid.UUID | None, since: datetime, until: datetime | None = None) -> list[ColumnElement[bool]]:
    """Conditions: from ``since`` (inclusive) to ``until`` (exclusive, None: no end), of one user or
    (None) of everyone."""
    conditions = [c.created_at >= since]
    if until is not None:
        conditions.append(c.created_at < until)
    if user_id is not None:
        conditions.append(c.user_id == user_id)
    return conditions


def sums(connection: Connection, key: ColumnElement, conditions: Sequence[ColumnElement[bool]]) -> list:
    """Rows of (key, questions, cached, tokens_in, tokens_out, cost_usd), one per key value."""
    query = (select(key.label("key"), func.count().label("questions"), func.sum(cast(c.cached, Integer)).label("cached"),
                    func.sum(c.tokens_in).label("tokens_in"), func.sum(c.tokens_out).label("tokens_out"),
                    func.sum(c.cost_usd).label("cost_usd"))
             .where(*conditions).group_by(key).order_by(key))
    return list(connection.execute(query))


def histograms(connection: Connection, key: ColumnElement | None,
               conditions: Sequence[ColumnElement[bool]]) -> dict[object, dict[int, int]]:
    """Latency counts by bucket index, per key value (``key`` None: one histogram, under None)."""
    bucket = BUCKET.label("bucket")
    columns = [bucket, func.count().label("n")] if key is None else [key.label("key"), bucket, func.count().label("n")]
    grouping = [bucket] if key is None else [key, bucket]
    found: dict[object, dict[int, int]] = {}
    for row in connection.execute(select(*columns).where(*conditions).group_by(*grouping)):
        found.setdefault(None if key is None else row.key, {})[int(row.bucket)] = int(row.n)
    return found
