"""SQL over the conversations themselves that both the rollup job and the reports' open days use:
usage grouped by a key (the UTC day, or the user), and the latency histogram grouped likewise.

Both dialects: SQLite keeps naive UTC text (its first ten characters are the day), PostgreSQL
timestamptz (converted to UTC before taking the day). The database computes each row's latency
bucket, so it counts per bucket and only the counts travel: PostgreSQL by width_bucket over
domain.latency's bounds (a binary search), SQLite by a CASE over them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Integer, case, cast, func, literal_column, select

from adapters.persistence.tables import conversations
from domain.latency import BOUNDS_MS, OVERFLOW

c = conversations.c


def day_of(dialect: str) -> ColumnElement[str]:
    """A conversation's UTC day as 'YYYY-MM-DD' (``dialect``: the connection's dialect name)."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", c.created_at), "YYYY-MM-DD")
    return func.substr(c.created_at, 1, 10)


# Literal numbers (not 124 bound parameters): a shorter statement that drivers cache and convert once.
_CASE: ColumnElement[int] = case(*((c.latency_ms <= literal_column(str(bound)), literal_column(str(index)))
                                   for index, bound in enumerate(BOUNDS_MS)), else_=literal_column(str(OVERFLOW)))
# width_bucket(x, bounds) counts the bounds <= x; for integers that is the bounds < latency_ms, i.e.
# the index of the first bound >= latency_ms (domain.latency.bucket_of, OVERFLOW above them all)
_WIDTH_BUCKET: ColumnElement[int] = func.width_bucket(
    c.latency_ms - 1, literal_column("ARRAY[" + ",".join(str(bound) for bound in BOUNDS_MS) + "]"), type_=Integer)


def bucket(dialect: str) -> ColumnElement[int]:
    """A conversation's domain.latency bucket index (``dialect``: the connection's dialect name)."""
    return _WIDTH_BUCKET if dialect == "postgresql" else _CASE


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
    index = bucket(connection.dialect.name).label("bucket")
    columns = [index, func.count().label("n")] if key is None else [key.label("key"), index, func.count().label("n")]
    grouping = [index] if key is None else [key, index]
    found: dict[object, dict[int, int]] = {}
    for row in connection.execute(select(*columns).where(*conditions).group_by(*grouping)):
        found.setdefault(None if key is None else row.key, {})[int(row.bucket)] = int(row.n)
    return found
