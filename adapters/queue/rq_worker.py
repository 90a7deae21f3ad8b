"""Running an RQ worker on the queues of an RqJobQueue, in priority order.

Worker class: ``SimpleWorker`` (jobs run in the worker process itself), chosen by measurement
(bench/queue.py; the README's "Production" section has the figures): about 3x the documents per
second of the forking ``Worker`` on small documents, because the container (database pool,
extractors, models) is built once per process and reused by every job, where the forking
worker pays a fork and fresh connections per job. The cost: a job that crashes the interpreter
takes the worker with it; the supervisor restarts it and the sweeper re-enqueues the document.
Job timeouts still apply (SIGALRM in the main thread).

The scheduler that enqueues retries when their delay is over runs in a daemon thread of the
worker (RQ's own forks a process, which outlives a worker killed with SIGKILL). When Redis goes
away the worker is started again until it comes back; SIGTERM or SIGINT stops it (after the
current job).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import structlog
from rq import SimpleWorker, Worker
from rq.scheduler import RQScheduler
from rq.timeouts import UnixSignalDeathPenalty
from rq.worker.base import StopRequested

from adapters.queue.rq import QUEUE_ORDER, REDIS_ERRORS, RqJobQueue
from application.ports.job_queue import JobTimedOut
from domain.tiers import QueuePriority

log = structlog.get_logger(__name__)


class _TimeLimit(UnixSignalDeathPenalty):
    """RQ's SIGALRM time limit, raising the port's JobTimedOut (RQ's own is an Exception)."""

    def handle_death_penalty(self, signum, frame) -> None:  # noqa: ANN001
        raise JobTimedOut(f"the job ran past its time limit of {self._timeout} s")


class _Stoppable:
    """Remembers that a stop was asked for (RQ raises StopRequested without keeping a flag)."""

    stop_signalled = False
    death_penalty_class = _TimeLimit

    def request_stop(self, signum, frame) -> None:  # noqa: ANN001
        self.stop_signalled = True
        super().request_stop(signum, frame)  # type: ignore[misc]


class AssistantSimpleWorker(_Stoppable, SimpleWorker):
    pass


class AssistantForkWorker(_Stoppable, Worker):
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
        try:
            self._loop(ordered, burst=burst, with_scheduler=with_scheduler)
        finally:
            if scheduler:
                scheduler.stop()

    def _loop(self, ordered: list, *, burst: bool, with_scheduler: bool) -> None:
        while True:
            worker = None
            try:
                worker = self._cls(ordered, connection=self._queue.connection)  # talks to Redis already
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
