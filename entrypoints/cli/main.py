"""The ``assistant`` console script.

Start-up is kept short: the command modules import only typer, the domain's enums and each other at
module level; the container (every adapter: SQLAlchemy, the extractors, HTTP clients) and the use
cases are imported inside the commands that run (tests/e2e/test_cli_startup.py checks it)."""

from __future__ import annotations

import typer

from entrypoints.cli import (account, bot, chat, db, documents, history, index, questions, removal, serve, state,
                             users, worker)
from entrypoints.cli import audit, backups, exports, retention, storage
from entrypoints.cli.errors import reports_errors
from entrypoints.cli.help import Command, Group

DISTRIBUTION = "ai-business-assistant"
SERVICES = {"serve", "bot", "worker"}  # long-running: they log at ASSISTANT_LOG_LEVEL (INFO) as before

app = typer.Typer(
    name="assistant",
    help="AI Business Assistant: ask questions about your documents and get cited answers.",
    cls=Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(storage.app, name="storage")
app.add_typer(retention.app, name="retention")
for command in (documents.ingest, documents.docs, documents.doc, questions.ask, chat.chat, history.history,
                removal.delete, removal.clear,
                account.usage, serve.serve, bot.bot, worker.worker, worker.recover, index.reindex):
    app.command(command.__name__, cls=Command)(reports_errors(command))
app.command("export", cls=Command)(reports_errors(exports.export))
app.command("audit", cls=Command)(reports_errors(audit.audit))
for command in (backups.backup, backups.restore):
    app.command(command.__name__, cls=Command)(reports_errors(command))


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"assistant {version(DISTRIBUTION)}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, show_default=False,
                                help="Log more on stderr: -v information, -vv debugging (default: warnings "
                                     "and errors only; serve, bot and worker log information)."),
    _version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                  help="Print the version and exit."),
) -> None:
    state.configure(verbosity=verbose, service=ctx.invoked_subcommand in SERVICES)


def run() -> None:
    app()
