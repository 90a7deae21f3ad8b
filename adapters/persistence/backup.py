"""Each database's own backup tool behind the DatabaseDump port (application/ports/backup.py).

PostgreSQL: ``pg_dump --format=custom`` of the application's database, and ``pg_restore --clean
--if-exists --no-owner`` back, its script run by ``psql --single-transaction`` after the target's
partitioned tables are dropped whole (pg_restore's own drops cannot drop a partition's key, which
belongs to its parent's: migrations/versions/0012), and rolled back should pg_restore fail midway
(all or nothing; the objects owned by the
restoring role, which should be the role that owns the schema and runs the migrations; the
privileges granted in the dumped database, e.g. to the application's role, are granted again, so
those roles must exist on the target server). With row-level security (migrations/versions/0011)
pg_dump runs with ``--enable-row-security`` as a trusted transaction (``app.role=admin`` through
PGOPTIONS), so a role bound by the policies dumps every row instead of failing or dumping none;
the tables' owner is not bound anyway. The tools must be at
least as new as the server (pg_dump refuses an older one mid-way): the server's version is read
first and ``/usr/lib/postgresql/<major>/bin`` (Debian's postgresql-client-<major>) is preferred
over the ``PATH``'s. The password goes to the tools in ``PGPASSWORD``, never on a command line (a
process list shows those), and the connection parameters as a libpq connection string.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot while
other processes keep writing, and restores by copying the dump over the database the same way (in
one transaction of the target).

"Empty" means no row in any of the application's tables, so a freshly migrated database (as the
embedded profile makes by itself at start-up) takes a restore without ``--force``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import IO

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from adapters.persistence.engine import is_postgresql, make_engine
from adapters.persistence.tables import metadata
from domain.errors import BackupFailed

_VERSION = re.compile(r"\(PostgreSQL\) (\d+)")
# the target's partitioned tables, dropped with their partitions before the dump's script runs
_DROP_PARTITIONED = """DO $$
DECLARE parent regclass;
BEGIN
    FOR parent IN SELECT partrelid::regclass FROM pg_partitioned_table JOIN pg_class ON pg_class.oid = partrelid
                  WHERE relnamespace = 'public'::regnamespace AND NOT relispartition LOOP
        EXECUTE format('DROP TABLE %s CASCADE', parent);
    END LOOP;
END $$"""


def database_dump(url: str) -> PgDumpBackup | SqliteBackup:
    """The backup tool of the database at ``url``."""
    return PgDumpBackup(url) if is_postgresql(url) else SqliteBackup(url)


class _Database:
    def __init__(self, url: str) -> None:
        self.url = url

    def is_empty(self) -> bool:
        engine = make_engine(self.url)
        try:
            present = set(inspect(engine).get_table_names())
            with engine.connect() as connection:
                return not any(connection.execute(select(table).limit(1)).first() is not None
                               for table in metadata.sorted_tables if table.name in present)
        finally:
            engine.dispose()

    def revision(self) -> str | None:
        engine = make_engine(self.url)
        try:
            if not inspect(engine).has_table("alembic_version"):
                return None
            with engine.connect() as connection:
                return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        finally:
            engine.dispose()


class SqliteBackup(_Database):
    kind = "sqlite"
    filename = "database.sqlite3"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.path = Path(make_url(url).database or "").expanduser()

    def dump(self, target: Path) -> None:
        if not self.path.is_file():
            raise BackupFailed(f"the database file {self.path} does not exist")
        self._copy(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True), sqlite3.connect(target))

    def restore(self, source: Path) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._copy(sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(self.path, timeout=30))

    @staticmethod
    def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
        try:
            source.backup(target)
        except sqlite3.Error as error:
            raise BackupFailed(f"SQLite backup failed: {error}") from None
        finally:
            source.close()
            target.close()


class PgDumpBackup(_Database):
    kind = "postgresql"
    filename = "database.pgdump"

    def dump(self, target: Path) -> None:
        self._run("pg_dump", "--format=custom", "--compress=6", "--enable-row-security", f"--file={target}")

    def restore(self, source: Path) -> None:
        with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
            script = subprocess.Popen([self._tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--file=-",
                                       str(source)], stdout=subprocess.PIPE, stderr=restore_errors, env=self._env())
            psql = subprocess.Popen([self._tool("psql"), "--no-psqlrc", "--quiet", "--output=/dev/null",
                                     "--set=ON_ERROR_STOP=1", "--single-transaction", f"--command={_DROP_PARTITIONED}",
                                     "--file=-", f"--dbname={self._conninfo()}"],
                                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors, env=self._env())
            assert script.stdout is not None and psql.stdin is not None
            try:
                shutil.copyfileobj(script.stdout, psql.stdin, 1 << 20)
            except BrokenPipeError:
                pass  # psql stopped on an error: its own message says which
            if script.wait() != 0:
                psql.kill()  # before it reads the end of its input and commits a partial restore
                psql.wait()
                raise BackupFailed(f"pg_restore failed: {_last_line(restore_errors, script.returncode)}")
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
            if psql.wait() != 0:
                raise BackupFailed(f"pg_restore failed: {_last_line(psql_errors, psql.returncode)}")
        engine = make_engine(self.url)
        try:  # fresh planner statistics: the restored tables have none until autovacuum runs
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))
        finally:
            engine.dispose()

    def _conninfo(self) -> str:
        from psycopg.conninfo import make_conninfo

        url = make_url(self.url)
        return make_conninfo(host=url.host, port=url.port, user=url.username, dbname=url.database,
                             **{k: str(v) for k, v in url.query.items()})

    def _env(self) -> dict[str, str]:
        password = make_url(self.url).password
        return {**os.environ, **({"PGPASSWORD": password} if password else {}),
                "PGOPTIONS": f"{os.environ.get('PGOPTIONS', '')} -c app.role=admin".strip()}

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([self._tool(tool), *args, f"--dbname={self._conninfo()}"], env=self._env(),
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
            raise BackupFailed(f"{tool} failed: {lines[-1] if lines else f'exit status {done.returncode}'}")

    def _tool(self, name: str) -> str:
        """Debian's binary for the server's major version, else the PATH's when it is at least as new
        as the server (the oldest such: its output is what the server's own version would write)."""
        server = self._server_major()
        found: list[tuple[int, str]] = []
        for candidate in (f"/usr/lib/postgresql/{server}/bin/{name}", shutil.which(name)):
            if candidate and os.access(candidate, os.X_OK):
                version = subprocess.run([candidate, "--version"], capture_output=True, text=True, check=False)
                match = _VERSION.search(version.stdout)
                if match:
                    found.append((int(match.group(1)), candidate))
        usable = [entry for entry in found if entry[0] >= server]
        if not usable:
            have = f"only {name} {max(found)[0]} was found" if found else f"{name} was not found"
            raise BackupFailed(f"the server runs PostgreSQL {server} but {have}; install "
                               f"postgresql-client-{server} (or newer)")
        return min(usable)[1]  # the server's own major when there is one

    def _server_major(self) -> int:
        engine = make_engine(self.url)
        try:
            with engine.connect() as connection:
                return int(connection.execute(text("SHOW server_version_num")).scalar()) // 10000
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            raise BackupFailed(f"the database cannot be reached: {reason}") from None
        finally:
            engine.dispose()


def _last_line(errors: IO[bytes], status: int) -> str:
    errors.seek(0)
    lines = [line for line in errors.read().decode(errors="replace").splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {status}"
