"""``assistant audit``: the audit log, newest first, with the API route's filters (an operator's
view of GET /api/v1/admin/audit; the local administrator reads it)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import typer

from entrypoints.cli.output import JSON_OPTION, emit_json, table
from entrypoints.cli.state import acting_user, container


def audit(
    actor: str | None = typer.Option(None, "--actor", metavar="EMAIL|ID", help="Only this actor's entries."),
    action: str | None = typer.Option(None, "--action", metavar="ACTION",
                                      help="Only this action (sign_in, sign_in_failed, document_deleted, ...)."),
    target: str | None = typer.Option(None, "--target", metavar="TARGET",
                                      help="Only entries about this target (an id, an email)."),
    since: datetime | None = typer.Option(None, "--since", metavar="TIME", help="From this time (UTC unless it "
                                          "says otherwise), inclusive."),
    until: datetime | None = typer.Option(None, "--until", metavar="TIME", help="Before this time."),
    limit: int = typer.Option(50, "--limit", min=1, max=200, help="Entries per page."),
    cursor: str | None = typer.Option(None, "--cursor", metavar="CURSOR",
                                      help="next_cursor of the previous page (--json prints it)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Show the audit log: sign-ins, sessions, API keys, tiers and bans, deletions, exports, ..."""
    from domain.analytics import AuditFilter

    operator = acting_user(None)
    where = AuditFilter(actor_id=_actor_id(actor), action=action, target=target, since=_utc(since),
                        until=_utc(until))
    page = container().audit_trail()(operator.id, where, after=_position(cursor), limit=limit)
    rows = [_entry_dict(e) for e in page.entries]
    next_cursor = _cursor(*page.next_position) if page.next_position else None
    if json_out:
        emit_json({"items": rows, "next_cursor": next_cursor})
        return
    table("Audit log", ["time (UTC)", "actor", "action", "target", "client", "data"],
          [[e.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"), str(e.actor_id)[:8] if e.actor_id else "-",
            e.action, e.target, e.client_address or "-", r["data"]] for e, r in zip(page.entries, rows, strict=True)],
          flex="data")
    if next_cursor:
        typer.echo(f"more: --cursor {next_cursor}", err=True)


def _actor_id(actor: str | None) -> uuid.UUID | None:
    if actor is None:
        return None
    try:
        return uuid.UUID(actor)
    except ValueError:
        return acting_user(actor).id  # an email: looked up by the local administrator


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _cursor(created: datetime, entry_id: uuid.UUID) -> str:
    return f"{created.astimezone(UTC).isoformat()}_{entry_id}"


def _position(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if cursor is None:
        return None
    from domain.errors import InvalidInput

    try:
        at, _, entry_id = cursor.rpartition("_")
        return datetime.fromisoformat(at), uuid.UUID(entry_id)
    except ValueError:
        raise InvalidInput("--cursor: not a cursor this command printed.") from None


def _entry_dict(entry: Any) -> dict[str, Any]:
    return {"id": str(entry.id), "actor_id": str(entry.actor_id) if entry.actor_id else None,
            "action": entry.action, "target": entry.target, "data": entry.data,
            "created_at": entry.created_at.astimezone(UTC).isoformat(), "client_address": entry.client_address,
            "request_id": entry.request_id}
