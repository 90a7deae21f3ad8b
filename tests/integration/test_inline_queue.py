import threading
import time
import uuid

import pytest
from structlog.testing import capture_logs

from adapters.queue.inline import InlineJobQueue
from application.ports.job_queue import JobQueueUnavailable
from domain.tiers import QueuePriority


class Recorder:
    """A real job runner: appends the document ids it processes; ``gate`` holds the ``hold`` id."""

    def __init__(self) -> None:
        self.done: list[uuid.UUID] = []
        self.lock = threading.Lock()
        self.gate = threading.Event()
        self.started = threading.Event()
        self.hold: uuid.UUID | None = None
        self.failing: set[uuid.UUID] = set()

    def factory(self):  # noqa: ANN201 - a ProcessFactory
        def process(document_id: uuid.UUID) -> None:
            if document_id == self.hold:
                self.started.set()
                assert self.gate.wait(10)
            if document_id in self.failing:
                raise RuntimeError("boom")
            with self.lock:
                self.done.append(document_id)

        return process


def busy_queue(priority: QueuePriority) -> tuple[Recorder, InlineJobQueue]:
    """A one-worker queue whose worker is inside the ``hold`` job until ``recorder.gate`` is set."""
    recorder = Recorder()
    recorder.hold = uuid.uuid4()
    queue = InlineJobQueue(recorder.factory, workers=1)
    queue.enqueue_processing(recorder.hold, priority=priority)
    assert recorder.started.wait(5)
    return recorder, queue


def test_runs_every_job_and_joins() -> None:
    recorder = Recorder()
    queue = InlineJobQueue(recorder.factory, workers=4)
    ids = [uuid.uuid4() for _ in range(50)]
    for document_id in ids:
        queue.enqueue_processing(document_id, priority=QueuePriority.DEFAULT)
    assert queue.join(timeout=10)
    assert sorted(recorder.done) == sorted(ids)
    queue.shutdown()


def test_waiting_jobs_start_by_priority() -> None:
    recorder, queue = busy_queue(QueuePriority.LOW)
    low, default, high, high2 = (uuid.uuid4() for _ in range(4))
    queue.enqueue_processing(low, priority=QueuePriority.LOW)
    queue.enqueue_processing(default, priority=QueuePriority.DEFAULT)
    queue.enqueue_processing(high, priority=QueuePriority.HIGH)
    queue.enqueue_processing(high2, priority=QueuePriority.HIGH)
    recorder.gate.set()
    assert queue.join(timeout=10)
    assert recorder.done == [recorder.hold, high, high2, default, low]
    queue.shutdown()


def test_a_failing_job_is_logged_and_the_pool_survives() -> None:
    recorder = Recorder()
    bad, good = uuid.uuid4(), uuid.uuid4()
    recorder.failing.add(bad)
    queue = InlineJobQueue(recorder.factory, workers=1)
    with capture_logs() as logs:
        queue.enqueue_processing(bad, priority=QueuePriority.HIGH)
        queue.enqueue_processing(good, priority=QueuePriority.LOW)
        assert queue.join(timeout=10)
    assert recorder.done == [good]
    failed = [e for e in logs if e["event"] == "job_failed"]
    assert failed and failed[0]["document_id"] == str(bad) and failed[0]["log_level"] == "error"
    queue.shutdown()


def test_a_failing_factory_is_logged_too() -> None:
    def factory():  # noqa: ANN202
        raise LookupError("container broken")

    queue = InlineJobQueue(factory, workers=1)
    with capture_logs() as logs:
        queue.enqueue_processing(uuid.uuid4(), priority=QueuePriority.DEFAULT)
        assert queue.join(timeout=10)
    assert [e["event"] for e in logs if e["log_level"] == "error"] == ["job_failed"]
    queue.shutdown()


def test_join_times_out_while_a_job_runs() -> None:
    recorder, queue = busy_queue(QueuePriority.DEFAULT)
    started = time.monotonic()
    assert queue.join(timeout=0.2) is False
    assert time.monotonic() - started >= 0.15  # join waited for its timeout (a lower bound: not a speed check)
    assert recorder.done == []
    recorder.gate.set()
    assert queue.join(timeout=10) is True
    assert recorder.done == [recorder.hold]
    queue.shutdown()


def test_join_with_nothing_submitted_returns_at_once() -> None:
    queue = InlineJobQueue(Recorder().factory)
    assert queue.join(timeout=0) is True
    queue.shutdown()


def test_shutdown_finishes_waiting_jobs_then_refuses_new_ones() -> None:
    recorder = Recorder()
    queue = InlineJobQueue(recorder.factory, workers=2)
    ids = [uuid.uuid4() for _ in range(10)]
    for document_id in ids:
        queue.enqueue_processing(document_id, priority=QueuePriority.LOW)
    queue.shutdown(wait=True)
    assert sorted(recorder.done) == sorted(ids)
    with pytest.raises(JobQueueUnavailable):
        queue.enqueue_processing(uuid.uuid4(), priority=QueuePriority.HIGH)
