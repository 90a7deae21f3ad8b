"""Job functions for the RQ tests (RQ imports them by dotted path inside the worker)."""

from __future__ import annotations

from rq import get_current_job


def record(document_id: str) -> None:
    """Append the id to ``<prefix>order``, the prefix being the job's queue name minus its priority."""
    job = get_current_job()
    prefix = job.origin.rsplit(":", 1)[0]
    job.connection.rpush(f"{prefix}:order", document_id)


def alive_keys(document_id: str) -> None:
    """Append the liveness key of the worker running this job (with a TTL) to ``<prefix>alive-seen``."""
    job = get_current_job()
    prefix = job.origin.rsplit(":", 1)[0]
    key = f"{prefix}:alive:{job.worker_name}"
    if job.connection.ttl(key) > 0:
        job.connection.rpush(f"{prefix}:alive-seen", key)
