"""``assistant ingest``, ``docs``, ``doc`` and ``ask``: documents and questions."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn

from application.use_cases.list_documents import ListDocumentsQuery
from application.use_cases.query_document import QueryDocumentCommand
from domain.language import reply_language
from application.use_cases.upload_document import UploadDocumentCommand
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.errors import DocumentNotFound, DomainError, InvalidInput
from entrypoints.cli.errors import EXIT_NO_INPUT, exit_code_for, fail, reports_errors
from entrypoints.cli.output import JSON_OPTION, USER_OPTION, conversation_dict, document_dict, emit_json, table
from entrypoints.cli.state import acting_user, container

POLL_SECONDS = 0.1
FINAL = {DocumentStatus.COMPLETED, DocumentStatus.FAILED}


def ingest(
    files: list[Path] = typer.Argument(..., help="Files to add (PDF, XLSX, DOCX, TXT, MD, CSV, audio)."),
    user: str | None = USER_OPTION,
    wait: bool = typer.Option(True, help="Wait until each document is processed."),
    timeout: float = typer.Option(600.0, help="Seconds to wait for processing."),
    password: str | None = typer.Option(None, help="Password of a protected PDF, DOCX or XLSX (never stored)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Upload files and process them, printing each document's id and status."""
    for path in files:
        if not path.is_file():
            raise fail(f"cannot read {path}", EXIT_NO_INPUT)
    actor = acting_user(user)
    results: list[dict[str, Any]] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[status]}"),
                  transient=True, disable=json_out) as progress:
        for path in files:
            task = progress.add_task(path.name, total=None, status="uploading")
            try:
                upload = container().upload_document()(
                    UploadDocumentCommand(user_id=actor.id, filename=path.name, data=path.read_bytes(),
                                          password=password))
                document = upload.document
                if wait:
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
    status: DocumentStatus | None = typer.Option(None, help="Only documents with this status."),
    kind: DocumentKind | None = typer.Option(None, help="Only documents of this type."),
    limit: int = typer.Option(50, min=1, max=200),
    json_out: bool = JSON_OPTION,
) -> None:
    """List documents, newest first."""
    actor = acting_user(user)
    page = container().list_documents()(ListDocumentsQuery(user_id=actor.id, status=status, kind=kind, limit=limit))
    if json_out:
        emit_json([document_dict(d) for d in page.documents])
        return
    table("Documents", ["id", "file", "type", "status", "pages", "extractor", "added"],  # notes: `assistant doc`
          [[d.id.hex[:8], d.filename, d.kind, d.status if not d.error_code else f"{d.status}: {d.error_code}",
            d.page_count, _extractor(d), f"{d.created_at:%Y-%m-%d %H:%M}"] for d in page.documents])


def doc(
    document: str = typer.Argument(..., help="Document id (or a unique prefix of it)."),
    user: str | None = USER_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Show one document: status, pages, the extractor (name and version) and its notes."""
    actor = acting_user(user)
    found = container().get_document()(actor.id, _resolve_document(actor.id, document))
    if json_out:
        emit_json(document_dict(found))
        return
    fields = [("id", found.id), ("file", found.filename), ("type", found.kind.value), ("size", found.size),
              ("status", found.status.value), ("error", f"{found.error_code}: {found.error_message}"
                                                if found.error_code else None),
              ("pages", found.page_count), ("extractor", _extractor(found)), ("notes", found.notes),
              ("added", f"{found.created_at:%Y-%m-%d %H:%M}")]
    for name, value in fields:
        if value is not None:
            typer.echo(f"{name + ':':<11}{value}")


def _extractor(document: Document) -> str | None:
    return f"{document.extractor} {document.extractor_version or ''}".strip() if document.extractor else None


def ask(
    document: str = typer.Argument(..., help="Document id (or a unique prefix of it)."),
    question: str = typer.Argument(..., help="The question."),
    user: str | None = USER_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Ask a question about a document; prints the answer and its citations."""
    actor = acting_user(user)
    document_id = _resolve_document(actor.id, document)
    conversation = container().query_document()(
        QueryDocumentCommand(user_id=actor.id, question=question, document_id=document_id))
    if json_out:
        emit_json(conversation_dict(conversation))
        return
    typer.echo(conversation.answer)
    if conversation.citations:
        typer.echo("\nИсточники:" if reply_language(question) == "ru" else "\nSources:")
        for c in conversation.citations:
            quote = " ".join(c.quote.split())
            typer.echo(f"  [{c.number}] {c.label}: \"{quote[:160]}{'…' if len(quote) > 160 else ''}\"")
    typer.echo(f"\n{conversation.model} · {conversation.tokens_in}+{conversation.tokens_out} tokens · "
               f"{conversation.latency_ms} ms{' · cached' if conversation.cached else ''}", err=True)


def _resolve_document(user_id: uuid.UUID, reference: str) -> uuid.UUID:
    """A full id, or a prefix matching exactly one of the user's documents (like git)."""
    try:
        return uuid.UUID(reference)
    except ValueError:
        pass
    prefix = reference.lower().replace("-", "")
    if len(prefix) < 4 or any(ch not in "0123456789abcdef" for ch in prefix):
        raise InvalidInput(f"{reference!r} is not a document id.", field="document")
    page = container().list_documents()(ListDocumentsQuery(user_id=user_id, limit=200))
    matches = [d.id for d in page.documents if d.id.hex.startswith(prefix)]
    if len(matches) != 1:
        raise DocumentNotFound(f"No single document matches {reference!r}.") if not matches else InvalidInput(
            f"{reference!r} matches {len(matches)} documents; give more characters.", field="document")
    return matches[0]

