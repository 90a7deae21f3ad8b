"""Background processing in this process: a small thread pool fed through a priority queue.

Every ``enqueue_processing`` pushes ``(priority, sequence, document_id)`` onto a heap and submits
one "run the most urgent waiting job" task to a ThreadPoolExecutor. Each task pops whatever is
most urgent *when a worker becomes free*, so waiting HIGH jobs start before DEFAULT and LOW ones
(first in, first out within a priority). Jobs are not persisted: a document whose job was lost
with the process stays pending and is picked up again by the recovery sweep.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import structlog

from application.ports.job_queue import JobQueueUnavailable
from domain.tiers import QueuePriority

log = structlog.get_logger(__name__)

_RANK = {QueuePriority.HIGH: 0, QueuePriority.DEFAULT: 1, QueuePriority.LOW: 2}

ProcessFactory = Callable[[], Callable[[uuid.UUID], object]]


class InlineJobQueue:
    """Implements application.ports.job_queue.JobQueue; ``process_factory()`` builds a fresh job runner."""

    def __init__(self, process_factory: ProcessFactory, workers: int = 2) -> None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self._factory = process_factory
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="inline-job")
        self._heap: list[tuple[int, int, uuid.UUID]] = []
        self._sequence = itertools.count()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._unfinished = 0
        self._closed = False

    def enqueue_processing(self, document_id: uuid.UUID, *, priority: QueuePriority) -> None:
        with self._lock:
            if self._closed:
                raise JobQueueUnavailable("the in-process job queue is shut down")
            item = (_RANK[QueuePriority(priority)], next(self._sequence), document_id)
            try:
                self._executor.submit(self._run_next)
            except RuntimeError as error:  # the interpreter is shutting down
                raise JobQueueUnavailable(str(error)) from error
            heapq.heappush(self._heap, item)  # under the lock: the task cannot pop before this
            self._unfinished += 1

    def join(self, timeout: float | None = None) -> bool:
        """Wait until every submitted job has finished; False when ``timeout`` seconds passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unfinished == 0, timeout=timeout)

    def shutdown(self, wait: bool = True) -> None:
        """Refuse new jobs; with ``wait`` block until the waiting and running ones are done."""
        with self._lock:
            self._closed = True
        self._executor.shutdown(wait=wait)

    def _run_next(self) -> None:
        with self._lock:
            _, _, document_id = heapq.heappop(self._heap)
        try:
            with structlog.contextvars.bound_contextvars(job_id=uuid.uuid4().hex[:12], document_id=str(document_id)):
                log.debug("job_started", document_id=str(document_id))
                try:
                    self._factory()(document_id)
                except Exception:
                    log.exception("job_failed", document_id=str(document_id))
        finally:
            with self._idle:
                self._unfinished -= 1
                if self._unfinished == 0:
                    self._idle.notify_all()
