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


@app.command(cls=Command)
@reports_errors
def grant(role: str = typer.Argument(..., metavar="ROLE", show_default=False,
                                     help="The application's login role (neither owner nor BYPASSRLS).")) -> None:
    """Grant the application's PostgreSQL role its privileges (run as the tables' owner, after
    `assistant db upgrade`): tables read and written, the audit log only read and appended to."""
    from config.bootstrap import grant_database_role

    try:
        url = grant_database_role(role)
    except ValueError as error:
        from domain.errors import InvalidInput

        raise InvalidInput(str(error)) from None
    typer.echo(f"privileges granted to {role}: {url}", err=True)
