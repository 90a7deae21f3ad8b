"""PartitionMaintenance on PostgreSQL (migrations/versions/0012): the upkeep and the listing call
the migration's SECURITY DEFINER functions and read the catalog, so the application's role, which
does not own the tables, keeps the partitions up. A lock the upkeep cannot get within
``lock_timeout_ms`` makes it fail (the worker's job logs it and tries again at its next run).
SQLite (or a PostgreSQL database before 0012): ``supported`` is False, ``ensure`` creates nothing
and the listing is empty.

Also ``month_partitions``: the month partitions of a table with their bounds, for retention's
partition drops (adapters/persistence/retention.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, text

from application.ports.partitions import Partition

TABLES = ("conversations", "analytics_events")
# the partitions' own tables (and their indexes): not in the tables module, which describes the parents
PARTITION_NAME = re.compile(r"^(conversations|analytics_events)_(p\d{4}_\d{2}|default)(_.*)?$")


def is_partition_object(name: str | None, table: str | None = None) -> bool:
    """Whether a schema object (a table, or an index of ``table``) belongs to a partition: for
    comparing the migrated schema with the tables module (Alembic's include_object)."""
    return any(n is not None and PARTITION_NAME.match(n) is not None for n in (name, table))


# each partition's bounds, cast back from the text of its FOR VALUES clause (offsets included)
_PARTITIONS = text("""
SELECT parent, name, CAST(substring(bound FROM 'FROM \\(''([^'']+)''\\)') AS timestamptz) AS start,
       CAST(substring(bound FROM 'TO \\(''([^'']+)''\\)') AS timestamptz) AS "end", estimate
FROM (SELECT parent.relname AS parent, child.relname AS name, pg_get_expr(child.relpartbound, child.oid) AS bound,
             child.reltuples AS estimate
      FROM pg_inherits AS i
      JOIN pg_class AS parent ON parent.oid = i.inhparent
      JOIN pg_class AS child ON child.oid = i.inhrelid
      WHERE parent.oid = ANY(CAST(:tables AS regclass[]))) AS listed
ORDER BY parent, start NULLS LAST, name
""")
_PARTITIONED = text("SELECT count(*) FROM pg_partitioned_table WHERE partrelid = ANY(CAST(:tables AS regclass[]))")


class SqlAlchemyPartitionMaintenance:
    def __init__(self, engine: Engine, *, lock_timeout_ms: int = 5000) -> None:
        self.engine = engine
        self.lock_timeout_ms = lock_timeout_ms  # for the DEFAULT partition's lock: queries queue behind a waiting one

    def supported(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return False
        with self.engine.connect() as connection:
            return is_partitioned(connection)

    def ensure(self, now: datetime, ahead: int) -> list[str]:
        if not self.supported():
            return []
        created: list[str] = []
        for table in TABLES:  # a transaction each: a month's rows move out of DEFAULT under its lock only
            with self.engine.begin() as connection:
                connection.execute(text("SELECT set_config('lock_timeout', :ms, true)"),
                                   {"ms": f"{self.lock_timeout_ms}ms"})
                made = connection.execute(text("SELECT * FROM assistant_partition_upkeep(:t, :today, :ahead)"),
                                          {"t": table, "today": now.astimezone(UTC).date(), "ahead": ahead})
                created += made.scalars().all()
        return created

    def partitions(self) -> list[Partition]:
        if not self.supported():
            return []
        with self.engine.connect() as connection:
            return _partitions(connection, TABLES)


def is_partitioned(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql" and connection.execute(
        _PARTITIONED, {"tables": list(TABLES)}).scalar_one() == len(TABLES)


def month_partitions(connection: Connection, table: str) -> list[Partition]:
    """``table``'s month partitions (DEFAULT aside), oldest first; none when it is not partitioned."""
    if not is_partitioned(connection):
        return []
    return [p for p in _partitions(connection, (table,)) if p.start is not None]


def _partitions(connection: Connection, tables: tuple[str, ...]) -> list[Partition]:
    return [Partition(table=row.parent, name=row.name, start=row.start, end=row.end,
                      rows=int(row.estimate) if row.estimate >= 0 else None)
            for row in connection.execute(_PARTITIONS, {"tables": list(tables)})]
