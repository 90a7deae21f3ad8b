"""The RQ job: process one document with the container built once per worker process.

RQ calls ``process_document`` by its dotted path (config.container names it), so neither the
container nor this module needs to know the other. Transient errors are re-raised for RQ's
Retry; on the last attempt, or when the job runs past its tier's time limit, the document is
marked failed with a readable reason first."""

from __future__ import annotations

import functools
import os
import time
import uuid

import structlog

from application.errors import TransientError
from application.ports.job_queue import JobTimedOut
from config.bootstrap import build_container
from config.container import Container
from config.error_tracking import tag_current
from entrypoints.worker.metrics import JOB_SECONDS

log = structlog.get_logger(__name__)

TIMED_OUT_CODE = "file_too_complex"
TIMED_OUT_MESSAGE = "Processing this document took longer than your tier allows; try a smaller file."


_owner_pid = os.getpid()  # the process whose connections the container's pool holds


@functools.cache
def container() -> Container:
    """Built on the first job of the process (or earlier by the worker shell), then reused."""
    global _owner_pid
    _owner_pid = os.getpid()
    return build_container(database_row_role="worker")  # row-level security: a worker serves every user


def _after_fork(c: Container) -> None:
    """In a job forked from the worker (ASSISTANT_WORKER_CLASS=fork): the database connections
    pooled by the parent are the parent's (its sweeper uses them meanwhile). Forget them without
    closing them, so this child opens its own (SQLAlchemy's recipe for fork); redis-py does the
    same for its pool by itself."""
    global _owner_pid
    if os.getpid() != _owner_pid:
        c.engine().dispose(close=False)
        _owner_pid = os.getpid()


def process_document(document_id: str) -> str | None:
    """Return the document's final status (None when the document is gone). Timed by outcome
    (entrypoints/worker/metrics.py)."""
    started, outcome = time.perf_counter(), ["failed"]  # set by _process as it learns how the job ends
    try:
        return _process(document_id, outcome)
    finally:
        JOB_SECONDS.labels(outcome[0]).observe(time.perf_counter() - started)


def _process(document_id: str, outcome: list[str]) -> str | None:
    c = container()
    _after_fork(c)
    doc_id = uuid.UUID(document_id)
    tag_current(document_id=document_id)  # on an error report of this job (config/error_tracking.py)
    with structlog.contextvars.bound_contextvars(document_id=document_id):
        try:
            status = c.process_document()(doc_id)
        except TransientError as error:
            if c.queue().final_attempt():
                log.warning("job_retries_exhausted", error=str(error))
                c.fail_document()(doc_id)
            else:
                log.info("job_will_retry", error=str(error))
                outcome[0] = "retry"
            raise
        except JobTimedOut as error:
            log.warning("job_timed_out", error=str(error))
            failed = c.fail_document()(doc_id, code=TIMED_OUT_CODE, message=TIMED_OUT_MESSAGE)
            outcome[0] = "timed_out"
            return failed.status.value if failed is not None else None  # not raised: RQ would retry it
    outcome[0] = "ok"
    return status.value if status is not None else None
