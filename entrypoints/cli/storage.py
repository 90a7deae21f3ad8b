"""``assistant storage``: keys for encryption at rest of the stored files (docs/production.md)."""

from __future__ import annotations

import typer

from entrypoints.cli.errors import EXIT_CODES, reports_errors
from entrypoints.cli.help import Command, Group
from entrypoints.cli.output import JSON_OPTION, emit_json
from entrypoints.cli.state import container

app = typer.Typer(help="Encryption at rest of the stored files.", cls=Group, no_args_is_help=True)


@app.command("new-key", cls=Command)
@reports_errors
def new_key(key_id: str = typer.Argument(..., metavar="ID", show_default=False,
                                         help="A name for the key, e.g. 2026-12 (A-Z a-z 0-9 _ . -).")) -> None:
    """Print a new random key as ID:BASE64, to put first in ASSISTANT_STORAGE_KEYS."""
    from config.container import new_storage_key

    try:
        entry = new_storage_key(key_id)
    except ValueError as error:  # KeyringError: the id is malformed
        from domain.errors import InvalidInput

        raise InvalidInput(str(error)) from None
    typer.echo(entry)


@app.command("rotate-key", cls=Command)
@reports_errors
def rotate_key(json_out: bool = JSON_OPTION) -> None:
    """Re-encrypt every stored file under the current (first) key of ASSISTANT_STORAGE_KEYS.

    Files stored before encryption was turned on are encrypted too. Safe to stop and run again:
    files already under the current key are checked, not rewritten."""
    from config.errors import ConfigError

    c = container()
    if c.config()["storage"]["encryption"] != "on":
        raise ConfigError("ASSISTANT_STORAGE_KEYS is not set: there is no key to encrypt the files under")
    show = None if json_out else (lambda r: typer.echo(f"... {r.examined} file(s) examined", err=True))
    report = c.rotate_storage_key()(progress=show)
    if json_out:
        emit_json({"examined": report.examined, "rotated": report.rotated, "encrypted": report.encrypted,
                   "current": report.current, "vanished": report.vanished, "failed": report.failed,
                   "retired_keys": report.retired_keys})
    else:
        typer.echo(f"{report.examined} file(s): {report.rotated} re-encrypted from an older key, "
                   f"{report.encrypted} encrypted from plaintext, {report.current} already under the current "
                   f"key, {report.vanished} deleted meanwhile, {report.failed} unreadable")
        if report.retired_keys:
            typer.echo("no file is left under key(s) " + ", ".join(report.retired_keys)
                       + ": they may be removed from ASSISTANT_STORAGE_KEYS")
    if report.failed:
        typer.echo(f"error: {report.failed} file(s) could not be decrypted (see the log); fix their keys and "
                   "run it again [stored_file_unreadable]", err=True)
        raise typer.Exit(EXIT_CODES["stored_file_unreadable"])
