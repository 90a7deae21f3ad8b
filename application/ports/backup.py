"""A database's own backup tool, behind one port: ``pg_dump``/``pg_restore`` for PostgreSQL, the
online backup API for SQLite (adapters/persistence/backup_*.py). The backup use cases
(application/use_cases/backups.py) put its dump in a backup folder beside the stored files."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class DatabaseDump(Protocol):
    kind: str  # "postgresql" or "sqlite": a backup restores only into the same kind
    filename: str  # the dump's name inside a backup folder

    def dump(self, target: Path) -> None:
        """Write a consistent copy of the whole database to ``target`` while the application runs.
        Raises BackupFailed."""
        ...

    def is_empty(self) -> bool:
        """True when the database has no table with a row (a fresh or freshly migrated database)."""
        ...

    def restore(self, source: Path) -> None:
        """Replace the database's schema and rows with the dump's, all or nothing. Raises BackupFailed."""
        ...

    def revision(self) -> str | None:
        """The schema revision (Alembic) of the database, None without one."""
        ...
