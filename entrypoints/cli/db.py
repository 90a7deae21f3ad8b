"""``assistant db``: schema migrations, the application role's grants, PostgreSQL's month partitions."""

from __future__ import annotations

import typer

from entrypoints.cli.errors import reports_errors
from entrypoints.cli.help import Command, Group
from entrypoints.cli.output import JSON_OPTION, emit_json
from entrypoints.cli.state import container

app = typer.Typer(help="Database schema migrations, grants and partitions.", cls=Group, no_args_is_help=True)


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


@app.command(cls=Command)
@reports_errors
def partitions(ahead: int = typer.Option(None, "--ahead", min=0, max=36, metavar="N",
                                         help="Months after the current one to create (default: "
                                              "ASSISTANT_PARTITIONS_AHEAD, 2)."),
               json_out: bool = JSON_OPTION) -> None:
    """Create the coming months' partitions of conversations and analytics_events (moving rows that
    landed in DEFAULT into their month's), then list every partition with its estimated rows
    (PostgreSQL; the workers do the same periodically)."""
    from datetime import UTC, datetime

    built = container()
    maintenance = built.partitions()
    if not maintenance.supported():
        if json_out:
            emit_json({"supported": False, "created": [], "partitions": []})
        else:
            typer.echo("partitions are a PostgreSQL feature (migration 0012): nothing to do on this database", err=True)
        return
    months = ahead if ahead is not None else built.settings().partitions_ahead
    created = maintenance.ensure(datetime.now(UTC), months)
    listed = maintenance.partitions()
    if json_out:
        emit_json({"supported": True, "created": created, "partitions": [
            {"table": p.table, "name": p.name, "start": p.start.isoformat() if p.start else None,
             "end": p.end.isoformat() if p.end else None, "rows": p.rows} for p in listed]})
        return
    typer.echo(f"created {len(created)} partition(s)" + (": " + ", ".join(created) if created else ""), err=True)
    rows = [(p.name, p.start.strftime("%Y-%m-%d") if p.start else "DEFAULT", p.end.strftime("%Y-%m-%d") if p.end else "",
             "?" if p.rows is None else str(p.rows)) for p in listed]
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(_HEADERS)]
    for row in (_HEADERS, *rows):
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


_HEADERS = ("PARTITION", "FROM", "TO", "ROWS (ESTIMATE)")
