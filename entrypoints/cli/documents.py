"""``assistant ingest``, ``docs`` and ``doc``: adding and listing documents.

Use cases and rich's progress bar are imported inside the commands (start-up time: see state.py)."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from domain.documents import DocumentKind, DocumentStatus
from domain.errors import DomainError
from entrypoints.cli.errors import EXIT_NO_INPUT, exit_code_for, fail
from entrypoints.cli.lookup import DOCUMENT_HELP, resolve_document
from entrypoints.cli.output import JSON_OPTION, USER_OPTION, document_dict, emit_json, table
from entrypoints.cli.state import acting_user, container

if TYPE_CHECKING:
    from domain.documents import Document

POLL_SECONDS = 0.1
FINAL = {DocumentStatus.COMPLETED, DocumentStatus.FAILED}


def ingest(
    files: list[Path] = typer.Argument(..., metavar="FILE...", show_default=False,
                                       help="Files to add (PDF, XLSX, DOCX, TXT, MD, CSV, audio)."),
    user: str | None = USER_OPTION,
    no_wait: bool = typer.Option(False, "--no-wait",
                                 help="Return once uploaded, without waiting for the processing."),
    timeout: float = typer.Option(600.0, metavar="SECONDS", help="Seconds to wait for processing."),
    password: str | None = typer.Option(None, metavar="PASSWORD",
                                        help="Password of a protected PDF, DOCX or XLSX (never stored)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Upload files and process them, printing each document's id and status."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    from application.use_cases.upload_document import UploadDocumentCommand

    for path in files:
        if not path.is_file():
            raise fail(f"cannot read {path}", EXIT_NO_INPUT)
    actor = acting_user(user)
    results: list[dict[str, Any]] = []
    progress_console = Console(stderr=True)  # progress is not output: stderr, shown on a terminal only
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[status]}"),
                  console=progress_console, transient=True,
                  disable=json_out or not progress_console.is_terminal) as progress:
        for path in files:
            task = progress.add_task(path.name, total=None, status="uploading")
            try:
                upload = container().upload_document()(
                    UploadDocumentCommand(user_id=actor.id, filename=path.name, data=path.read_bytes(),
                                          password=password))
                document = upload.document
                if not no_wait:
                    document = _wait(actor.id, document, timeout, lambda d: progress.update(
                        task, total=d.progress_total or None, completed=d.progress_done, status=d.status.value))
                results.append({**document_dict(document), "file": str(path), "duplicate": upload.duplicate})
            except DomainError as error:
                results.append({"file": str(path), "status": "rejected", "error_code": error.code,
                                "error_message": error.message})
            progress.remove_task(task)
    _print_ingested(results, json_out)
    codes = [r["error_code"] for r in results if r.get("error_code")]
    if codes:
        raise typer.Exit(exit_code_for(codes[0]))


def _wait(user_id: uuid.UUID, document: Document, timeout: float, show: Any) -> Document:
    deadline = time.monotonic() + timeout
    get = container().get_document()
    while document.status not in FINAL and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        document = get(user_id, document.id)
        show(document)
    return document


def _print_ingested(results: list[dict[str, Any]], json_out: bool) -> None:
    if json_out:
        emit_json(results)
        return
    for r in results:
        if r.get("id"):
            note = " (already uploaded)" if r["duplicate"] else ""
            detail = f": {r['error_message']}" if r.get("error_message") else ""
            typer.echo(f"{r['id']}  {r['status']:<10} {r['file']}{note}{detail}")
            if r.get("notes"):
                typer.echo(f"{'':36}  note: {r['notes']}")
        else:
            typer.echo(f"{'-' * 36}  rejected   {r['file']}: {r['error_message']} [{r['error_code']}]")


def docs(
    user: str | None = USER_OPTION,
    status: DocumentStatus | None = typer.Option(None, metavar="STATUS", help="Only documents with this status: "
                                                 + ", ".join(DocumentStatus) + "."),
    kind: DocumentKind | None = typer.Option(None, metavar="TYPE", help="Only documents of this type: "
                                             + ", ".join(DocumentKind) + "."),
    limit: int = typer.Option(50, min=1, max=200, metavar="N", help="At most this many documents."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List documents, newest first (id prefix, file, type, status, pages, extractor, date added)."""
    from application.use_cases.list_documents import ListDocumentsQuery

    actor = acting_user(user)
    page = container().list_documents()(ListDocumentsQuery(user_id=actor.id, status=status, kind=kind, limit=limit))
    if json_out:
        emit_json([document_dict(d) for d in page.documents])
        return
    if not page.documents:
        typer.echo("No documents." if status is None and kind is None else "No documents match.")
        return
    # 80 columns: the date without the time, failures' reasons below the table; only a long file
    # name is cut (with an ellipsis). `assistant doc ID` shows everything about one document.
    table("Documents", ["id", "file", "type", "status", "pages", "extractor", "added"],
          [[d.id.hex[:8], d.filename, d.kind, d.status, d.page_count, _extractor(d), _day(d.created_at)]
           for d in page.documents], flex="file")
    for d in page.documents:
        if d.error_code:
            typer.echo(f"{d.id.hex[:8]}  {d.error_code}: {d.error_message or d.status}")


def doc(
    document: str = typer.Argument(..., metavar="DOCUMENT", show_default=False, help=DOCUMENT_HELP),
    user: str | None = USER_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Show one document: status, pages, the extractor (name and version) and its notes."""
    actor = acting_user(user)
    found = container().get_document()(actor.id, resolve_document(actor.id, document))
    if json_out:
        emit_json(document_dict(found))
        return
    fields = [("id", found.id), ("file", found.filename), ("type", found.kind.value), ("size", found.size),
              ("status", found.status.value), ("error", f"{found.error_code}: {found.error_message}"
                                                if found.error_code else None),
              ("pages", found.page_count), ("extractor", _extractor(found)), ("notes", found.notes),
              ("added", f"{found.created_at:%Y-%m-%d %H:%M} UTC")]
    for name, value in fields:
        if value is not None:
            typer.echo(f"{name + ':':<11}{value}")


def _extractor(document: Document) -> str | None:
    return f"{document.extractor} {document.extractor_version or ''}".strip() if document.extractor else None


def _day(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d}"
