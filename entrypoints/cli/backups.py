"""``assistant backup PATH`` and ``assistant restore PATH``: the database and the stored files in one
folder with a manifest of checksums (application/use_cases/backups.py; docs/production.md#backups)."""

from __future__ import annotations

from pathlib import Path

import typer

from entrypoints.cli.output import JSON_OPTION, emit_json
from entrypoints.cli.state import container

PATH = typer.Argument(..., metavar="PATH", show_default=False, help="The backup folder.")


def _summary(summary: object, verb: str, json_out: bool) -> None:
    fields = {"path": str(summary.path), "database": summary.database,  # type: ignore[attr-defined]
              "revision": summary.revision, "files": summary.files, "bytes": summary.bytes}  # type: ignore[attr-defined]
    if json_out:
        emit_json(fields)
        return
    typer.echo(f"{verb} {fields['path']}: {fields['database']} database (schema {fields['revision'] or 'none'}) "
               f"and {fields['files']} file(s), {fields['bytes']:,} bytes")


def backup(path: Path = PATH, json_out: bool = JSON_OPTION) -> None:
    """Back up the database (pg_dump, or SQLite's online backup) and the stored files into PATH, a new
    or empty folder; safe while the application runs."""
    _summary(container().back_up()(path), "backed up into", json_out)


def restore(
    path: Path = PATH,
    force: bool = typer.Option(False, "--force", help="Replace a database or file storage that is not empty "
                                                      "(its rows and files are lost)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Restore a backup folder into the configured database and file storage, which must be empty
    (unless --force). Every checksum is verified first. Stop the API, workers and bot meanwhile."""
    _summary(container().restore_backup()(path, force=force), "restored from", json_out)
