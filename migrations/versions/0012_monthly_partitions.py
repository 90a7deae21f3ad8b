"""PostgreSQL: ``conversations`` and ``analytics_events`` partitioned by UTC month of ``created_at``
(RANGE partitions named ``<table>_pYYYY_MM``, and ``<table>_default`` for any row outside them, so
an insert never fails). SQLite: nothing changes.

Each table is converted in place: its definition is read from the catalog (indexes, foreign keys,
row-level security and policies, grants), the old table renamed and stripped of its indexes, the
partitioned table created like it, a partition made for every month that has rows and for the
current month and the next ``AHEAD``, the rows copied in one ``INSERT ... SELECT`` (routed by
PostgreSQL), then the primary key, the indexes (partitioned indexes on the parent, built on each
partition) and the foreign keys added, and the old table dropped. The primary key becomes
``(id, created_at)``: PostgreSQL requires a unique key of a partitioned table to contain its
partition key; ids stay random UUIDs, and reads by id probe each partition's key index.

SECURITY DEFINER functions, owned by the role running the migrations (the tables' owner),
let the application's role (which does not own the tables: migration 0011) keep partitions up:
``assistant_partition_upkeep(parent, today, ahead)`` makes the partitions of the current month, of
the next ``ahead`` ones and of every month with rows in DEFAULT, each by
``assistant_month_partition(parent, month)``, which creates a month's partition, moving the rows of that
month out of the DEFAULT partition first (PostgreSQL refuses a partition whose range has rows in
DEFAULT), and gives it the parent's row-level security, policies and grants (a partition read
directly is bound like its parent); ``assistant_drop_partition(parent, child)`` detaches and drops
one month's partition (retention). EXECUTE on them is revoked from PUBLIC and granted by
``assistant db grant`` (adapters/persistence/app_role.py).

Downgrade converts back to plain tables with every row, primary key ``(id)`` and the same
indexes, foreign keys, policies and grants. See docs/scaling.md, "Partitions".

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection, text

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("conversations", "analytics_events")
AHEAD = 2  # months after the current one that get their partition now (the worker keeps this up)

_COPY_SECURITY = """
CREATE FUNCTION assistant_copy_table_security(parent text, child text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    p record;
    g record;
BEGIN
    IF (SELECT relrowsecurity FROM pg_class WHERE oid = parent::regclass) THEN
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', child);
    END IF;
    IF (SELECT relforcerowsecurity FROM pg_class WHERE oid = parent::regclass) THEN
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', child);
    END IF;
    FOR p IN SELECT * FROM pg_policies WHERE schemaname = 'public' AND tablename = parent LOOP
        EXECUTE format('CREATE POLICY %I ON %I AS %s FOR %s TO %s', p.policyname, child, p.permissive, p.cmd,
                       (SELECT string_agg(CASE WHEN r = 'public' THEN 'PUBLIC' ELSE quote_ident(r) END, ', ')
                        FROM unnest(p.roles) AS r))
                || CASE WHEN p.qual IS NULL THEN '' ELSE format(' USING (%s)', p.qual) END
                || CASE WHEN p.with_check IS NULL THEN '' ELSE format(' WITH CHECK (%s)', p.with_check) END;
    END LOOP;
    FOR g IN SELECT a.grantee, a.privilege_type FROM pg_class AS c, aclexplode(c.relacl) AS a
             WHERE c.oid = parent::regclass AND a.grantee <> c.relowner LOOP
        EXECUTE format('GRANT %s ON %I TO %s', g.privilege_type, child,
                       CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE g.grantee::regrole::text END);
    END LOOP;
END
$$
"""

_MONTH_PARTITION = """
CREATE FUNCTION assistant_month_partition(parent text, month date) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET TimeZone = 'UTC' AS $$
DECLARE
    first_day date := date_trunc('month', month)::date;
    child text := format('%s_p%s', parent, to_char(first_day, 'YYYY_MM'));
    fallback text := parent || '_default';
    lo timestamptz := first_day::timestamptz;
    hi timestamptz := (first_day + interval '1 month')::date::timestamptz;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass(parent) AND relkind = 'p') THEN
        RAISE EXCEPTION '% is not a partitioned table', parent;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('assistant_partitions'));  -- one upkeep at a time
    IF to_regclass(child) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', child, parent);
    IF to_regclass(fallback) IS NOT NULL THEN  -- no insert may land in DEFAULT while its rows move out
        EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', fallback);
        EXECUTE format('WITH moved AS (DELETE FROM %I WHERE created_at >= $1 AND created_at < $2 RETURNING *) '
                       'INSERT INTO %I SELECT * FROM moved', fallback, child) USING lo, hi;
    END IF;
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, child, lo, hi);
    PERFORM assistant_copy_table_security(parent, child);
    RETURN child;
END
$$
"""

_DROP_PARTITION = """
CREATE FUNCTION assistant_drop_partition(parent text, child text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
                   WHERE i.inhparent = to_regclass(parent) AND c.relname = child
                     AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT') THEN
        RAISE EXCEPTION '% is not a month partition of %', child, parent;
    END IF;
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parent, child);
    EXECUTE format('DROP TABLE %I', child);
END
$$
"""

_UPKEEP = """
CREATE FUNCTION assistant_partition_upkeep(parent text, today date, ahead integer) RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET TimeZone = 'UTC' AS $$
DECLARE
    month date;
    made text;
BEGIN
    FOR month IN EXECUTE format(
        'SELECT (date_trunc(''month'', $1) + make_interval(months => n))::date FROM generate_series(0, $2) AS n '
        'UNION SELECT date_trunc(''month'', created_at)::date FROM %I ORDER BY 1', parent || '_default')
        USING today, ahead
    LOOP
        made := assistant_month_partition(parent, month);
        IF made IS NOT NULL THEN
            RETURN NEXT made;
        END IF;
    END LOOP;
END
$$
"""
_FUNCTIONS = ("assistant_partition_upkeep(text, date, integer)", "assistant_month_partition(text, date)",
              "assistant_drop_partition(text, text)",
              "assistant_copy_table_security(text, text)")


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    for statement in (_COPY_SECURITY, _MONTH_PARTITION, _UPKEEP, _DROP_PARTITION):
        connection.execute(text(statement))
    for function in _FUNCTIONS:
        connection.execute(text(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC"))
    for table in TABLES:
        _partition(connection, table)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    for table in TABLES:
        _unpartition(connection, table)
    for function in _FUNCTIONS:
        connection.execute(text(f"DROP FUNCTION {function}"))


def _partition(connection: Connection, table: str) -> None:
    old = f"{table}_unpartitioned"
    definition = _definition(connection, table)
    _set_aside(connection, table, old, definition)
    connection.execute(text(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
                            "PARTITION BY RANGE (created_at)"))
    _secure(connection, table, definition)
    connection.execute(text(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT"))
    connection.execute(text("SELECT assistant_copy_table_security(:parent, :child)"),
                       {"parent": table, "child": f"{table}_default"})
    months = connection.execute(text(
        f"SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date FROM {old} "
        "UNION SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => n))::date "
        "FROM generate_series(0, :ahead) AS n ORDER BY 1"), {"ahead": AHEAD}).scalars().all()
    for month in months:
        connection.execute(text("SELECT assistant_month_partition(:parent, :month)"),
                           {"parent": table, "month": month})
    connection.execute(text(f"INSERT INTO {table} SELECT * FROM {old}"))
    connection.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY (id, created_at)"))
    _index(connection, table, definition)
    connection.execute(text(f"DROP TABLE {old}"))
    connection.execute(text(f"ANALYZE {table}"))


def _unpartition(connection: Connection, table: str) -> None:
    old = f"{table}_partitioned"
    definition = _definition(connection, table)
    _set_aside(connection, table, old, definition)
    connection.execute(text(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"))
    _secure(connection, table, definition)
    connection.execute(text(f"INSERT INTO {table} SELECT * FROM {old}"))
    connection.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY (id)"))
    _index(connection, table, definition)
    connection.execute(text(f"DROP TABLE {old}"))  # its partitions go with it
    connection.execute(text(f"ANALYZE {table}"))


def _definition(connection: Connection, table: str) -> dict[str, list[tuple[str, ...]]]:
    """What a converted table must keep: its secondary indexes' and foreign keys' definitions, its
    row-level security flags and policies' statements, and its grants (the owner's aside)."""
    oid = connection.execute(text("SELECT CAST(:t AS regclass)::oid"), {"t": table}).scalar_one()
    indexes = connection.execute(text(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = :oid AND NOT i.indisprimary ORDER BY 1"), {"oid": oid}).all()
    foreign_keys = connection.execute(text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = :oid AND contype = 'f' "
        "AND conparentid = 0 ORDER BY 1"), {"oid": oid}).all()
    policies = connection.execute(text(
        "SELECT policyname, permissive, cmd, roles::text[], qual, with_check FROM pg_policies "
        "WHERE schemaname = 'public' AND tablename = :t ORDER BY 1"), {"t": table}).all()
    flags = connection.execute(text("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = :oid"),
                               {"oid": oid}).one()
    grants = connection.execute(text(
        "SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END "
        "FROM pg_class AS c, aclexplode(c.relacl) AS a WHERE c.oid = :oid AND a.grantee <> c.relowner"),
        {"oid": oid}).all()
    return {"indexes": [tuple(r) for r in indexes], "foreign_keys": [tuple(r) for r in foreign_keys],
            "policies": [tuple(r) for r in policies], "flags": [tuple(flags)], "grants": [tuple(r) for r in grants]}


def _set_aside(connection: Connection, table: str, old: str, definition: dict[str, list[tuple[str, ...]]]) -> None:
    """Rename ``table`` to ``old`` and free the names its new version takes (index names are schema-wide)."""
    connection.execute(text(f"ALTER TABLE {table} RENAME TO {old}"))
    connection.execute(text(f"ALTER TABLE {old} DROP CONSTRAINT pk_{table}"))
    for name, _ in definition["indexes"]:
        connection.execute(text(f"DROP INDEX {name}"))  # on a partitioned table this drops the partitions' too


def _secure(connection: Connection, table: str, definition: dict[str, list[tuple[str, ...]]]) -> None:
    """Row-level security, policies and grants of the old table on the new one."""
    row_security, forced = definition["flags"][0]
    if row_security:
        connection.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
    if forced:
        connection.execute(text(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"))
    for name, permissive, command, roles, qual, with_check in definition["policies"]:
        to = ", ".join("PUBLIC" if role == "public" else f'"{role}"' for role in roles)
        statement = f'CREATE POLICY "{name}" ON {table} AS {permissive} FOR {command} TO {to}'
        statement += f" USING ({qual})" if qual is not None else ""
        statement += f" WITH CHECK ({with_check})" if with_check is not None else ""
        connection.execute(text(statement.replace(":", r"\:")))
    for privilege, grantee in definition["grants"]:
        connection.execute(text(f"GRANT {privilege} ON {table} TO {grantee}"))


def _index(connection: Connection, table: str, definition: dict[str, list[tuple[str, ...]]]) -> None:
    for _, statement in definition["indexes"]:  # a partitioned index's reads "ON ONLY": the new one cascades
        connection.execute(text(statement.replace(" ON ONLY ", " ON ").replace(":", r"\:")))
    for name, constraint in definition["foreign_keys"]:
        connection.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} {constraint}".replace(":", r"\:")))
