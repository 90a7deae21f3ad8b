"""``assistant usage``: what the user has used and has left."""

from __future__ import annotations

import typer

from entrypoints.cli.output import JSON_OPTION, USER_OPTION, emit_json, table, usage_dict
from entrypoints.cli.state import acting_user, container


def usage(user: str | None = USER_OPTION, json_out: bool = JSON_OPTION) -> None:
    """Questions used and remaining per window, documents used and allowed."""
    report = container().get_usage()(acting_user(user).id, history=True)
    if json_out:
        emit_json(usage_dict(report))
        return
    rows = [[w.window, w.used, w.limit, w.remaining, f"{w.reset_at:%Y-%m-%d %H:%M} UTC"] for w in report.windows]
    table(f"Questions ({report.tier} tier)", ["window", "used", "limit", "remaining", "resets"],
          rows or [["all", "-", "unlimited", "unlimited", "-"]])
    allowed = report.documents_allowed if report.documents_allowed is not None else "unlimited"
    typer.echo(f"Documents: {report.documents_used} of {allowed}; files up to {report.max_file_bytes // 2**20} MiB")
    if report.daily:
        table("Tokens and cost per day (UTC, last 30 days)", ["day", "questions", "cached", "tokens in", "tokens out",
                                                               "cost US$"],
              [[d.day.isoformat(), d.questions, d.cached, d.tokens_in, d.tokens_out, f"{d.cost_usd:.6f}"]
               for d in report.daily])
