"""``assistant db``: schema migrations."""

from __future__ import annotations

import typer

from config.bootstrap import migrate_database
from entrypoints.cli.errors import reports_errors

app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)


@app.command()
@reports_errors
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    url = migrate_database(revision)
    typer.echo(f"database at {revision}: {url}", err=True)
