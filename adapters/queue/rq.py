"""Background processing on RQ (Redis Queue): queues ``high``, ``default`` and ``low``.

The job is a function named by its dotted path (``job_function``), so this adapter never imports
the shell that builds the container. Each job carries RQ's ``Retry`` with exponential backoff
(``retry_delays``, run by the worker's scheduler) and the job timeout of the tier's priority.

A document has at most one live job: a pointer key ``<prefix>doc:<id>`` names its last job, and
while that job is queued, scheduled or deferred, or started less than its time limit ago, no
other is enqueued (the sweepers of every worker and the API start-up may all ask). A job started
longer ago than its limit belongs to a killed worker (RQ would have stopped it otherwise), so the
document is enqueued again; processing is idempotent. Redis errors become JobQueueUnavailable.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import redis
import structlog
from rq import Queue, Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from application.ports.job_queue import JobQueueUnavailable
from domain.tiers import QueuePriority

log = structlog.get_logger(__name__)

QUEUE_ORDER = (QueuePriority.HIGH, QueuePriority.DEFAULT, QueuePriority.LOW)
_WAITING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError)
_GRACE_SECONDS = 5  # after its time limit a started job is stopped by its worker, or that worker is dead


def connect(url: str) -> redis.Redis:
    """A client that fails fast when Redis is away (RQ needs raw bytes: no decode_responses)."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10, health_check_interval=15)


def backoff(retries: int, first_delay: int) -> list[int]:
    """Exponential delays: ``first_delay``, twice that, four times that ..."""
    return [first_delay * 2**i for i in range(retries)]


class RqJobQueue:
    """Implements application.ports.job_queue.JobQueue."""

    def __init__(self, connection: redis.Redis, job_function: str, *, retry_delays: Sequence[int] = (5, 10, 20),
                 timeouts: Mapping[QueuePriority, int] | None = None, prefix: str = "",
                 result_ttl: int = 3600) -> None:
        self.connection = connection
        self._function = job_function
        self._delays = list(retry_delays)
        self._timeouts = dict(timeouts or {})
        self._prefix = prefix
        self._result_ttl = result_ttl
        self.queues = {p: Queue(self.queue_name(p), connection=connection) for p in QUEUE_ORDER}

    def queue_name(self, priority: QueuePriority) -> str:
        return f"{self._prefix}{QueuePriority(priority).value}"

    def enqueue_processing(self, document_id: uuid.UUID, *, priority: QueuePriority) -> None:
        pointer = f"{self._prefix}doc:{document_id}"
        try:
            previous = self.connection.get(pointer)
            if previous and self._live(previous.decode()):
                log.debug("enqueue_skipped_job_alive", document_id=str(document_id))
                return
            job = self.queues[QueuePriority(priority)].enqueue(
                self._function, str(document_id), job_timeout=self._timeouts.get(QueuePriority(priority)),
                retry=Retry(max=len(self._delays), interval=self._delays) if self._delays else None,
                result_ttl=self._result_ttl, failure_ttl=7 * 86400,
                description=f"process document {document_id}",
            )
            self.connection.set(pointer, job.id, ex=7 * 86400)
        except REDIS_ERRORS as error:
            raise JobQueueUnavailable(f"Redis is unreachable: {error}") from error

    def _live(self, job_id: str) -> bool:
        try:
            job = Job.fetch(job_id, connection=self.connection)
        except NoSuchJobError:
            return False
        status = job.get_status()
        if status in _WAITING:
            return True
        if status == JobStatus.STARTED and job.started_at is not None:
            limit = timedelta(seconds=(job.timeout or Queue.DEFAULT_TIMEOUT) + _GRACE_SECONDS)
            return datetime.now(UTC) - job.started_at.replace(tzinfo=job.started_at.tzinfo or UTC) < limit
        return False

    @staticmethod
    def final_attempt() -> bool:
        """Inside a job: True when RQ will not retry it after a failure (no retries left)."""
        job = get_current_job()
        return job is None or not job.retries_left

    def ping(self) -> bool:
        try:
            return bool(self.connection.ping())
        except REDIS_ERRORS:
            return False
