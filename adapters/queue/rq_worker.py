"""Running an RQ worker on the queues of an RqJobQueue, in priority order.

Worker class: ``SimpleWorker`` (jobs run in the worker process itself), chosen by measurement
(bench/queue.py; docs/production.md has the figures): about 3x the documents per
second of the forking ``Worker`` on small documents, because the container (database pool,
extractors, models) is built once per process and reused by every job, where the forking
worker pays a fork and fresh connections per job. The cost: a job that crashes the interpreter
takes the worker with it; the supervisor restarts it and the sweeper re-enqueues the document.
Job timeouts still apply (SIGALRM in the main thread).

The scheduler that enqueues retries when their delay is over runs in a daemon thread of the
worker (RQ's own forks a process, which outlives a worker killed with SIGKILL). When Redis goes
away the worker is started again until it comes back; SIGTERM or SIGINT stops it (after the
current job).

Liveness: another daemon thread keeps ``<prefix>alive:<worker name>`` in Redis with a TTL of
``ALIVE_TTL_SECONDS``, refreshed every ``ALIVE_REFRESH_SECONDS`` while the process lives, whatever
the job does (extraction releases the GIL or yields it every few ms). A job started by a worker
whose key is gone belongs to a dead worker (SIGKILL, OOM, power): the sweepers enqueue its document
again within tens of seconds instead of waiting for the tier's job time limit (RqJobQueue._live).
It costs nothing per job.

Per-job Redis round trips: RQ 3's worker makes about 20 per job (its worker heartbeat alone is 3
commands, sent 3 times per job; a state write before and after each job; one LPOP per queue in
burst mode; a suspension check). ``_Lean`` keeps what the bookkeeping needs: the worker
heartbeat at most every ``HEARTBEAT_EVERY_SECONDS`` (its key lives ``worker_ttl`` + 60 s, or the
job's time limit + 60 s while a job runs), the suspension check at most every second, one state
write per change, one LMPOP for several queues, and no heartbeat written into the hash of a job
that succeeded (its result and hash expire after RqJobQueue's short ``result_ttl``). About 8
round trips per job remain (dequeue, fetch, 2 pipelines before the job, WATCH, the dependents,
MULTI/EXEC after it, the idle state).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Sequence

import structlog
from rq import SimpleWorker, Worker
from rq.job import JobStatus
from rq.scheduler import RQScheduler
from rq.timeouts import UnixSignalDeathPenalty
from rq.utils import now as rq_now
from rq.worker.base import StopRequested

from adapters.queue.rq import QUEUE_ORDER, REDIS_ERRORS, LeanQueue, RqJobQueue
from application.ports.job_queue import JobTimedOut
from domain.tiers import QueuePriority

log = structlog.get_logger(__name__)

ALIVE_REFRESH_SECONDS = 5.0
ALIVE_TTL_SECONDS = 20  # a dead worker's jobs are recognised this long after its last refresh
HEARTBEAT_EVERY_SECONDS = 10.0  # RQ's own worker heartbeat, throttled (its key lives 480 s)
SUSPENSION_CHECK_SECONDS = 1.0  # `rq suspend` is noticed within this (RQ checks before every job)


class _TimeLimit(UnixSignalDeathPenalty):
    """RQ's SIGALRM time limit, raising the port's JobTimedOut (RQ's own is an Exception)."""

    def handle_death_penalty(self, signum, frame) -> None:  # noqa: ANN001
        raise JobTimedOut(f"the job ran past its time limit of {self._timeout} s")


class _Lean:
    """RQ's bookkeeping minus the round trips a job does not need (see the module docstring);
    remembers that a stop was asked for (RQ raises StopRequested without keeping a flag)."""

    stop_signalled = False
    death_penalty_class = _TimeLimit
    queue_class = LeanQueue
    _beat_at = _suspension_checked_at = -float("inf")

    def request_stop(self, signum, frame) -> None:  # noqa: ANN001
        self.stop_signalled = True
        super().request_stop(signum, frame)  # type: ignore[misc]

    def heartbeat(self, timeout: int | None = None, pipeline=None) -> None:  # noqa: ANN001
        now = time.monotonic()
        if timeout is None and pipeline is None and now - self._beat_at < HEARTBEAT_EVERY_SECONDS:
            return  # the worker's key lives worker_ttl + 60 s: refreshed well before that
        self._beat_at = now
        super().heartbeat(timeout, pipeline=pipeline)  # type: ignore[misc]

    def check_for_suspension(self, burst: bool) -> None:
        now = time.monotonic()
        if now - self._suspension_checked_at >= SUSPENSION_CHECK_SECONDS:
            self._suspension_checked_at = now
            super().check_for_suspension(burst)  # type: ignore[misc]

    def set_state(self, state: str, pipeline=None) -> None:  # noqa: ANN001
        if pipeline is None and state == getattr(self, "_state", None):
            return
        super().set_state(state, pipeline=pipeline)  # type: ignore[misc]

    def handle_execution_ended(self, job, queue, heartbeat_ttl: int) -> None:  # noqa: ANN001
        if job.get_status(refresh=False) == JobStatus.FAILED:  # kept for inspection: as RQ does
            super().handle_execution_ended(job, queue, heartbeat_ttl)  # type: ignore[misc]
        else:  # succeeded: handle_job_success rewrites its hash with the result TTL right after
            job.ended_at = rq_now()


class AssistantSimpleWorker(_Lean, SimpleWorker):
    pass


class AssistantForkWorker(_Lean, Worker):
    pass


WORKER_CLASSES = {"simple": AssistantSimpleWorker, "fork": AssistantForkWorker}


class SchedulerThread(threading.Thread):
    """Every ``interval`` seconds: hold the scheduler locks of the queues, enqueue what is due."""

    def __init__(self, queues: Sequence, connection, interval: float = 1.0) -> None:  # noqa: ANN001
        super().__init__(name="rq-scheduler", daemon=True)
        self._queues, self._connection, self._interval = queues, connection, interval
        self._stopped = threading.Event()

    def run(self) -> None:
        scheduler = RQScheduler(self._queues, connection=self._connection)
        while not self._stopped.wait(self._interval):
            try:
                if scheduler.should_reacquire_locks:
                    scheduler.acquire_locks()
                if scheduler.acquired_locks:
                    scheduler.heartbeat()
                    scheduler.enqueue_scheduled_jobs()
            except REDIS_ERRORS:
                scheduler = RQScheduler(self._queues, connection=self._connection)
            except Exception:
                log.exception("scheduler_tick_failed")
        try:
            scheduler.release_locks()
        except REDIS_ERRORS:
            pass

    def stop(self) -> None:
        self._stopped.set()


class LivenessThread(threading.Thread):
    """Keeps ``<prefix>alive:<worker_name>`` alive while this process lives (see the docstring)."""

    def __init__(self, queue: RqJobQueue, *, refresh: float = ALIVE_REFRESH_SECONDS,
                 ttl: int = ALIVE_TTL_SECONDS) -> None:
        super().__init__(name="rq-liveness", daemon=True)
        self._queue, self._refresh, self._ttl = queue, refresh, ttl
        self._stopped = threading.Event()
        self.worker_name: str | None = None

    def beat(self) -> None:
        if self.worker_name is not None:
            self._queue.connection.set(self._queue.alive_key(self.worker_name), b"1", ex=self._ttl)

    def run(self) -> None:
        while True:
            try:
                self.beat()
            except REDIS_ERRORS:
                pass  # the worker reconnects; so does this
            except Exception:
                log.exception("liveness_beat_failed")
            if self._stopped.wait(self._refresh):
                break
        try:
            if self.worker_name is not None:
                self._queue.connection.delete(self._queue.alive_key(self.worker_name))
        except REDIS_ERRORS:
            pass

    def stop(self) -> None:
        self._stopped.set()


class RqWorkerRunner:
    """``run`` blocks until a signal stops the worker or, with ``burst``, the queues are empty."""

    def __init__(self, queue: RqJobQueue, *, worker_class: str = "simple", reconnect_seconds: float = 2.0) -> None:
        self._queue = queue
        self._cls = WORKER_CLASSES[worker_class]
        self._reconnect = reconnect_seconds

    def run(self, queues: Sequence[QueuePriority] = QUEUE_ORDER, *, burst: bool = False,
            with_scheduler: bool = True) -> None:
        ordered = [self._queue.queues[QueuePriority(q)] for q in queues]
        scheduler = SchedulerThread(ordered, self._queue.connection) if with_scheduler and not burst else None
        if scheduler:
            scheduler.start()
        liveness = LivenessThread(self._queue)
        liveness.start()
        try:
            self._loop(ordered, liveness, burst=burst, with_scheduler=with_scheduler)
        finally:
            liveness.stop()
            liveness.join(timeout=2)  # it deletes its key on the way out
            if scheduler:
                scheduler.stop()

    def _loop(self, ordered: list, liveness: LivenessThread, *, burst: bool, with_scheduler: bool) -> None:
        while True:
            worker = None
            try:
                name = uuid.uuid4().hex  # a new name after a reconnect: the old one may look alive to RQ
                liveness.worker_name = name
                liveness.beat()  # before the first job can start
                worker = self._cls(ordered, connection=self._queue.connection, name=name,  # talks to Redis
                                   log_job_description=False)
                # burst: RQ enqueues the due retries once, in this process; otherwise our thread does
                worker.work(burst=burst, with_scheduler=with_scheduler and burst, logging_level="WARNING")
            except REDIS_ERRORS as error:
                log.warning("worker_redis_unreachable", error=str(error).splitlines()[0], retry_in=self._reconnect)
            except StopRequested:
                return
            if burst or (worker is not None and worker.stop_signalled):
                return
            try:
                time.sleep(self._reconnect)
            except StopRequested:  # RQ's signal handler is still installed
                return
