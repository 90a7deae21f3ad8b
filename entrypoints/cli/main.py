"""The ``assistant`` console script."""

from __future__ import annotations

import typer

from entrypoints.cli import account, bot, db, documents, index, serve, users, worker
from entrypoints.cli.errors import reports_errors

app = typer.Typer(
    name="assistant",
    help="AI Business Assistant: ask questions about your documents and get cited answers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
for command in (documents.ingest, documents.docs, documents.doc, documents.ask, account.usage, serve.serve, bot.bot,
                worker.worker, worker.recover, index.reindex):
    app.command(command.__name__)(reports_errors(command))


def run() -> None:
    app()
