"""``assistant worker`` and ``assistant recover``: background processing on RQ."""

from __future__ import annotations

import importlib

import typer

from domain.errors import InvalidInput
from domain.tiers import QueuePriority
from entrypoints.cli.output import JSON_OPTION, emit_json
from entrypoints.cli.state import container

WORKER_MAIN = "entrypoints.worker.main"  # by name: the shells stay independent of each other


def worker(
    queues: str = typer.Option("high,default,low", help="Queues to work, most urgent first."),
    burst: bool = typer.Option(False, "--burst", help="Quit when the queues are empty."),
) -> None:
    """Process uploaded documents (needs ASSISTANT_REDIS_URL); sweeps stuck documents periodically."""
    chosen = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = [q for q in chosen if q not in {p.value for p in QueuePriority}]
    if not chosen or unknown:
        raise InvalidInput(f"--queues takes high, default and low, not {', '.join(unknown) or 'nothing'}.",
                           field="queues")
    importlib.import_module(WORKER_MAIN).run(chosen, burst=burst)


def recover(
    older_than: float = typer.Option(300.0, min=0, help="Only documents untouched for this many seconds."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Queue again the documents left pending or processing (a killed worker, a Redis outage)."""
    documents = container().recover_documents()(older_than_seconds=older_than)
    if json_out:
        emit_json([{"id": str(d.id), "status": d.status.value} for d in documents])
        return
    typer.echo(f"{len(documents)} document(s) queued again")
