"""Background processing on RQ (Redis Queue): queues ``high``, ``default`` and ``low``.

The job is a function named by its dotted path (``job_function``), so this adapter never imports
the shell that builds the container. Each job carries RQ's ``Retry`` with exponential backoff
(``retry_delays``, run by the worker's scheduler) and the job timeout of the tier's priority.

A document has at most one live job: a pointer key ``<prefix>doc:<id>`` names its last job, and
while that job is queued, scheduled or deferred, or started by a worker that is still alive, no
other is enqueued (the sweepers of every worker and the API start-up may all ask). A worker is
alive while its key ``<prefix>alive:<worker name>`` exists (adapters/queue/rq_worker.py refreshes
it every few seconds), so the job of a worker killed with SIGKILL is recognised within tens of
seconds; a job started longer ago than its time limit is not live either (RQ would have stopped
it). Processing is idempotent and completes a document once, should a worker presumed dead still
finish. A succeeded job and its result expire after ``result_ttl`` (60 s: nothing reads a
result, the database holds the outcome; ``result_ttl=0`` would cost RQ 3 seven more round trips
per job to delete the job at once, where an expiry rides in the pipeline it sends anyway); failed
jobs stay 7 days for inspection. Redis errors become JobQueueUnavailable.

RQ's own keys (``rq:job:*``, ``rq:workers``, registries) are not under ``prefix``: RQ 3 reads its
prefix once per process from the RQ_KEY_PREFIX environment variable. A deployment is isolated by
the database index of its Redis URL (docs/production.md); the prefix separates the queue names
and our own keys, which is enough for test runs sharing one database.
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


class LeanQueue(Queue):
    """Non-blocking dequeue from several queues in one round trip: LMPOP (Redis 7) takes from the
    first non-empty queue, in the order given, as RQ's loop of LPOPs does one queue at a time."""

    _lmpop = True

    @classmethod
    def lpop(cls, queue_keys, timeout, connection=None):  # noqa: ANN001, ANN206
        if timeout is not None or len(queue_keys) < 2 or not cls._lmpop or connection is None:
            return super().lpop(queue_keys, timeout, connection=connection)
        try:
            result = connection.execute_command("LMPOP", len(queue_keys), *queue_keys, "LEFT")
        except redis.ResponseError:  # Redis before 7.0
            LeanQueue._lmpop = False
            return super().lpop(queue_keys, timeout, connection=connection)
        if result is None:
            return None
        queue_key, values = result
        return queue_key, values[0]


class RqJobQueue:
    """Implements application.ports.job_queue.JobQueue."""

    def __init__(self, connection: redis.Redis, job_function: str, *, retry_delays: Sequence[int] = (5, 10, 20),
                 timeouts: Mapping[QueuePriority, int] | None = None, prefix: str = "",
                 result_ttl: int = 60) -> None:
        self.connection = connection
        self._function = job_function
        self._delays = list(retry_delays)
        self._timeouts = dict(timeouts or {})
        self._prefix = prefix
        self._result_ttl = result_ttl
        self.queues = {p: LeanQueue(self.queue_name(p), connection=connection) for p in QUEUE_ORDER}

    def queue_name(self, priority: QueuePriority) -> str:
        return f"{self._prefix}{QueuePriority(priority).value}"

    def alive_key(self, worker_name: str) -> str:
        """Exists while the worker of that name lives (refreshed by its liveness thread)."""
        return f"{self._prefix}alive:{worker_name}"

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
        status = job.get_status(refresh=False)  # fetched just now
        if status in _WAITING:
            return True
        if status != JobStatus.STARTED:
            return False
        if job.worker_name and not self.connection.exists(self.alive_key(job.worker_name)):
            log.info("job_of_dead_worker", job_id=job_id, worker=job.worker_name)
            return False
        if job.started_at is None:
            return bool(job.worker_name)  # its worker is alive (checked above)
        limit = timedelta(seconds=(job.timeout or Queue.DEFAULT_TIMEOUT) + _GRACE_SECONDS)
        return datetime.now(UTC) - job.started_at.replace(tzinfo=job.started_at.tzinfo or UTC) < limit

    @staticmethod
    def final_attempt() -> bool:
        """Inside a job: True when RQ will not retry it after a failure (no retries left)."""
        job = get_current_job()
        return job is None or not job.retries_left

    def waiting(self) -> dict[str, tuple[int, float | None]]:
        """For the metrics: each queue's number of waiting jobs and the age in seconds of the one
        waiting longest (None when empty), by priority name; two pipelined round trips. Raises
        JobQueueUnavailable when Redis is away."""
        try:
            with self.connection.pipeline(transaction=False) as pipe:
                for queue in self.queues.values():
                    pipe.llen(queue.key)
                    pipe.lindex(queue.key, 0)  # RQ appends and pops from the left: the oldest
                replies = pipe.execute()
            firsts = [first.decode() if first else None for first in replies[1::2]]
            with self.connection.pipeline(transaction=False) as pipe:
                for job_id in firsts:
                    pipe.hget(f"{Job.redis_job_namespace_prefix}{job_id or '-'}", "enqueued_at")
                enqueued = pipe.execute()
        except REDIS_ERRORS as error:
            raise JobQueueUnavailable(f"Redis is unreachable: {error}") from error
        now = datetime.now(UTC)
        figures: dict[str, tuple[int, float | None]] = {}
        for priority, depth, job_id, at in zip(self.queues, replies[0::2], firsts, enqueued, strict=True):
            age = None
            if job_id and at:
                moment = datetime.fromisoformat(at.decode().replace("Z", "+00:00"))
                age = max(0.0, (now - moment.replace(tzinfo=moment.tzinfo or UTC)).total_seconds())
            figures[QueuePriority(priority).value] = (int(depth), age)
        return figures

    def ping(self) -> bool:
        try:
            return bool(self.connection.ping())
        except REDIS_ERRORS:
            return False
