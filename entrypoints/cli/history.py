"""``assistant history``: the user's conversation threads, most recently active first, to continue
one (``assistant ask --thread ID``) or read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from entrypoints.cli.output import JSON_OPTION, USER_OPTION, emit_json, table, thread_dict
from entrypoints.cli.state import acting_user, container

if TYPE_CHECKING:
    from domain.threads import Thread


def history(
    limit: int = typer.Option(20, min=1, max=200, metavar="N", help="At most this many threads."),
    user: str | None = USER_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """List your conversation threads, most recent first (id prefix, date, scope, turns, title)."""
    actor = acting_user(user)
    page = container().threads().list(actor.id, limit=limit)
    counted = [(t, page.turns[t.id]) for t in page.threads]
    if json_out:
        emit_json([thread_dict(t, turns=n) for t, n in counted])
        return
    if not counted:
        typer.echo("No conversations yet: `assistant chat DOC` starts one.")
        return
    # 80 columns: id 8, date 16, scope 11, turns 5 and the gaps leave the title 32 (cut with …)
    table("Conversations", ["id", "updated", "scope", "turns", "title"],
          [[t.id.hex[:8], f"{t.updated_at:%Y-%m-%d %H:%M}", _scope(t), str(n), t.title or "(no question yet)"]
           for t, n in counted], flex="title")


def _scope(thread: Thread) -> str:
    count = len(thread.document_ids)
    return "library" if not count else "document" if count == 1 else f"{count} docs"
