"""``assistant delete DOC`` and ``assistant clear``: removing documents (their chunks, questions
asked about them, stored files and cached answers go with them)."""

from __future__ import annotations

import typer

from entrypoints.cli.lookup import DOCUMENT_HELP, all_documents, resolve_document
from entrypoints.cli.output import JSON_OPTION, USER_OPTION, document_dict, emit_json
from entrypoints.cli.state import acting_user, container


def delete(
    document: str = typer.Argument(..., metavar="DOCUMENT", show_default=False, help=DOCUMENT_HELP),
    user: str | None = USER_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Delete one document, with its passages, the questions asked about it and its stored file."""
    actor = acting_user(user)
    deleted = container().delete_document()(actor.id, resolve_document(actor.id, document))
    if json_out:
        emit_json({**document_dict(deleted), "deleted": True})
        return
    typer.echo(f"deleted {deleted.id}  {deleted.filename}")


def clear(
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    user: str | None = USER_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Delete all your documents (asks for confirmation unless --yes)."""
    actor = acting_user(user)
    if not yes:
        count = len(all_documents(actor.id))
        if not count:
            _report(0, json_out)
            return
        whose = f"all {count} documents of {actor.email}" if user else f"all {count} of your documents"
        if not typer.confirm(f"Delete {whose}, with the questions asked about them?", default=False, err=True):
            typer.echo("nothing deleted", err=True)
            raise typer.Exit(1)
    _report(container().clear_documents()(actor.id), json_out)


def _report(count: int, json_out: bool) -> None:
    emit_json({"deleted": count}) if json_out else typer.echo(f"{count} document(s) deleted")
