"""``assistant retention run``: apply the tiers' retention now (the workers also do, periodically)."""

from __future__ import annotations

import typer

from entrypoints.cli.errors import reports_errors
from entrypoints.cli.help import Command, Group
from entrypoints.cli.output import JSON_OPTION, emit_json
from entrypoints.cli.state import acting_user, container

app = typer.Typer(help="Delete what the tiers keep no longer (ASSISTANT_TIERS keep_*_days).", cls=Group,
                  no_args_is_help=True)


@app.command(cls=Command)
@reports_errors
def run(dry_run: bool = typer.Option(False, "--dry-run", help="Count what would be deleted; delete nothing."),
        json_out: bool = JSON_OPTION) -> None:
    """Delete old questions and answers, untouched documents and old analytics events, per tier.

    A document goes with its files, passages, search index rows and cached answers; on PostgreSQL a
    month partition older than every tier's days is dropped whole; the run and its counts go to the
    audit log."""
    operator = acting_user(None)
    use_case = container().apply_retention()
    if not use_case.configured() and not json_out:
        typer.echo("no tier sets keep_conversations_days, keep_documents_days or keep_analytics_days: "
                   "nothing is deleted", err=True)
    report = use_case(dry_run=dry_run, actor_id=operator.id)
    if json_out:
        emit_json({"dry_run": report.dry_run, "conversations": report.conversations, "documents": report.documents,
                   "analytics_events": report.analytics_events, "by_tier": report.by_tier,
                   "partitions_dropped": list(report.partitions_dropped)})
        return
    verb = "would delete" if dry_run else "deleted"
    typer.echo(f"{verb} {report.conversations} question(s) and answer(s), {report.documents} document(s) and "
               f"{report.analytics_events} analytics event(s)")
    for tier, counts in report.by_tier.items():
        typer.echo(f"  {tier}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    if report.partitions_dropped:  # PostgreSQL's month partitions, dropped whole
        typer.echo(f"  {'would drop' if dry_run else 'dropped'} {len(report.partitions_dropped)} partition(s): "
                   + ", ".join(report.partitions_dropped))
