"""Printing: rich tables for people, one JSON document on stdout for scripts (--json)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from application.use_cases.get_usage import UsageReport
    from domain.conversations import Conversation
    from domain.documents import Document
    from domain.threads import Thread
    from domain.users import User

GAP = 2  # spaces between table columns
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")
USER_OPTION = typer.Option(None, "--user", "-u", metavar="EMAIL",
                           help="Act as this user (email); default: the local user.")


def docs_option(verb: str) -> Any:
    """``--docs A,B``: the documents a question (``verb``: "Ask", "Talk") is about."""
    return typer.Option(None, "--docs", metavar="A,B,...",
                        help=f"{verb} about several documents (ids, prefixes or file names, by commas).")


def library_option(verb: str) -> Any:
    return typer.Option(False, "--library", help=f"{verb} about every processed document of yours.")


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def user_dict(user: User) -> dict[str, Any]:
    return {"id": str(user.id), "email": user.email, "telegram_id": user.telegram_id, "username": user.username,
            "role": user.role.value, "tier": user.tier.value, "status": user.status.value,
            "language": user.language, "created_at": user.created_at.isoformat()}


def document_dict(doc: Document) -> dict[str, Any]:
    return {"id": str(doc.id), "filename": doc.filename, "kind": doc.kind.value, "size": doc.size,
            "sha256": doc.sha256, "status": doc.status.value, "error_code": doc.error_code,
            "error_message": doc.error_message, "page_count": doc.page_count,
            "progress": {"done": doc.progress_done, "total": doc.progress_total},
            "extractor": doc.extractor, "extractor_version": doc.extractor_version, "notes": doc.notes,
            "created_at": doc.created_at.isoformat(), "updated_at": doc.updated_at.isoformat()}


def conversation_dict(conv: Conversation) -> dict[str, Any]:
    return {"id": str(conv.id), "document_id": str(conv.document_id) if conv.document_id else None,
            "question": conv.question, "answer": conv.answer, "citations": [c.to_dict() for c in conv.citations],
            "model": conv.model, "tokens_in": conv.tokens_in, "tokens_out": conv.tokens_out,
            "cost_usd": conv.cost_usd, "latency_ms": conv.latency_ms, "cached": conv.cached,
            "thread_id": str(conv.thread_id) if conv.thread_id else None, "created_at": conv.created_at.isoformat()}


def thread_dict(thread: Thread, *, turns: int | None = None) -> dict[str, Any]:
    found = {"id": str(thread.id), "scope": thread.scope.value, "document_ids": [str(d) for d in thread.document_ids],
             "title": thread.title, "created_at": thread.created_at.isoformat(),
             "updated_at": thread.updated_at.isoformat()}
    return found if turns is None else {**found, "turns": turns}


def usage_dict(report: UsageReport) -> dict[str, Any]:
    return {"tier": report.tier.value,
            "windows": [{"window": w.window.value, "limit": w.limit, "used": w.used, "remaining": w.remaining,
                         "reset_at": w.reset_at.isoformat()} for w in report.windows],
            "documents": {"used": report.documents_used, "allowed": report.documents_allowed},
            "max_file_bytes": report.max_file_bytes,
            "daily": [{"day": d.day.isoformat(), "questions": d.questions, "cached": d.cached,
                       "tokens_in": d.tokens_in, "tokens_out": d.tokens_out, "cost_usd": d.cost_usd}
                      for d in report.daily]}


def table(title: str, columns: list[str], rows: list[list[Any]], *, flex: str | None = None) -> None:
    """A table that keeps every column whole but one: ``flex`` (default: the widest), cut with an
    ellipsis to what the terminal's width leaves it (at least 8 characters)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(columns)]
    cut = columns.index(flex) if flex is not None else widths.index(max(widths))
    room = console.width - (sum(widths) - widths[cut]) - GAP * (len(columns) - 1)
    view = Table(title=title, title_justify="left", box=None, padding=(0, GAP, 0, 0), pad_edge=False)
    for i, column in enumerate(columns):
        if i == cut:
            view.add_column(column, no_wrap=True, overflow="ellipsis", max_width=max(8, room))
        else:
            view.add_column(column, no_wrap=True, min_width=widths[i])
    for row in cells:
        view.add_row(*row)
    console.print(view)
