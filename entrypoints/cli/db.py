"""``assistant db``: schema migrations."""

from __future__ import annotations

import typer

from entrypoints.cli.errors import reports_errors
from entrypoints.cli.help import Command, Group

app = typer.Typer(help="Database schema migrations.", cls=Group, no_args_is_help=True)


@app.command(cls=Command)
@reports_errors
def upgrade(revision: str = typer.Argument("head", metavar="[REVISION]", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    from config.bootstrap import migrate_database

    url = migrate_database(revision)
    typer.echo(f"database at {revision}: {url}", err=True)
