"""``assistant export``: a thread as a Markdown, DOCX, PDF or JSON file (citations as numbered
footnotes with their locators and quoted passages). The use case is imported inside the command."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from entrypoints.cli.errors import EXIT_NO_INPUT, fail
from entrypoints.cli.lookup import resolve_thread
from entrypoints.cli.output import USER_OPTION
from entrypoints.cli.state import acting_user, container


def export(
    thread: str = typer.Argument(..., metavar="THREAD", show_default=False,
                                 help="The thread: its id or a unique prefix of it (4+ characters, as "
                                      "`assistant history` shows)."),
    fmt: str = typer.Option("md", "--format", "-f", metavar="md|docx|pdf|json",
                            help="The file's format: md (Markdown), docx (Word), pdf or json."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE", show_default=False,
                                       help="Where to write it (default: the thread's title and id as the name, "
                                            "in the current folder; - writes it on stdout)."),
    user: str | None = USER_OPTION,
) -> None:
    """Export a thread's questions and cited answers to a file."""
    actor = acting_user(user)
    file = container().export_threads().thread(actor.id, resolve_thread(actor.id, thread), fmt.lower())
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(file.data)
        sys.stdout.buffer.flush()
        return
    target = output if output is not None else Path(file.filename)
    try:
        target.write_bytes(file.data)
    except OSError as error:
        raise fail(f"cannot write {target}: {error.strerror or error}", EXIT_NO_INPUT) from None
    typer.echo(str(target))
