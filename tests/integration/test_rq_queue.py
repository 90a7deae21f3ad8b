"""RqJobQueue and the RQ worker against real Redis and PostgreSQL: priority order across queues,
no second job for a waiting document, retries (immediate and through the scheduler with backoff)
then success, retries exhausted -> failed with a readable reason, the tier's time limit, and Redis down ->
JobQueueUnavailable."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.persistence.migrate import upgrade
from adapters.queue.rq import RqJobQueue, connect
from adapters.queue.rq_worker import LivenessThread, RqWorkerRunner, SchedulerThread
from application.errors import TransientError
from application.ports.job_queue import JobQueueUnavailable
from application.use_cases.get_document import GetDocument
from application.use_cases.upload_document import UploadDocumentCommand
from config.bootstrap import build_container, local_user
from config.container import Container
from dependency_injector import providers
from rq.job import JobStatus
from domain.documents import DocumentStatus
from domain.tiers import QueuePriority
from entrypoints.worker import jobs

pytestmark = pytest.mark.postgres
PROBE = "tests.integration.rq_probe.record"


def test_workers_drain_high_then_default_then_low(redis_server_url: str, redis_prefix: str) -> None:
    queue = RqJobQueue(connect(redis_server_url), PROBE, prefix=redis_prefix, retry_delays=())
    sent = {p: [uuid.uuid4() for _ in range(3)] for p in QueuePriority}
    for i in range(3):
        for priority in (QueuePriority.LOW, QueuePriority.DEFAULT, QueuePriority.HIGH):
            queue.enqueue_processing(sent[priority][i], priority=priority)
    RqWorkerRunner(queue).run(burst=True, with_scheduler=False)
    order = [uuid.UUID(x.decode()) for x in queue.connection.lrange(f"{redis_prefix}order", 0, -1)]
    assert order == sent[QueuePriority.HIGH] + sent[QueuePriority.DEFAULT] + sent[QueuePriority.LOW]


def test_a_waiting_document_is_not_enqueued_twice(redis_server_url: str, redis_prefix: str) -> None:
    queue = RqJobQueue(connect(redis_server_url), PROBE, prefix=redis_prefix, retry_delays=())
    document_id = uuid.uuid4()
    for _ in range(3):
        queue.enqueue_processing(document_id, priority=QueuePriority.LOW)
    assert queue.queues[QueuePriority.LOW].count == 1
    RqWorkerRunner(queue).run(burst=True, with_scheduler=False)
    queue.enqueue_processing(document_id, priority=QueuePriority.LOW)  # done: a new request is a new job
    assert queue.queues[QueuePriority.LOW].count == 1


def _start(queue: RqJobQueue, *, worker_name: str | None, started_at: datetime):  # noqa: ANN202
    """Dequeue the job and mark it started, as a worker does (without running it)."""
    job = queue.queues[QueuePriority.LOW].dequeue_any([queue.queues[QueuePriority.LOW]], None,
                                                      connection=queue.connection)[0]
    job.set_status(JobStatus.STARTED)
    job.worker_name, job.started_at = worker_name, started_at
    job.save()
    return job


def test_a_started_job_blocks_a_second_one_while_its_worker_is_alive(redis_server_url: str,
                                                                     redis_prefix: str) -> None:
    queue = RqJobQueue(connect(redis_server_url), PROBE, prefix=redis_prefix, retry_delays=(),
                       timeouts={QueuePriority.LOW: 3600})
    document_id = uuid.uuid4()
    queue.enqueue_processing(document_id, priority=QueuePriority.LOW)
    liveness = LivenessThread(queue)
    liveness.worker_name = "w1"
    liveness.beat()  # as the worker's liveness thread does every few seconds
    _start(queue, worker_name="w1", started_at=datetime.now(UTC) - timedelta(seconds=1800))
    queue.enqueue_processing(document_id, priority=QueuePriority.LOW)
    assert queue.queues[QueuePriority.LOW].count == 0  # a slow job of a live worker
    queue.connection.delete(queue.alive_key("w1"))  # the worker was killed: its key expired
    queue.enqueue_processing(document_id, priority=QueuePriority.LOW)
    assert queue.queues[QueuePriority.LOW].count == 1  # at once, long before the job's time limit


def test_a_started_job_of_an_unknown_worker_blocks_a_second_one_until_its_time_limit(
        redis_server_url: str, redis_prefix: str) -> None:
    queue = RqJobQueue(connect(redis_server_url), PROBE, prefix=redis_prefix, retry_delays=(),
                       timeouts={QueuePriority.LOW: 30})
    document_id = uuid.uuid4()
    queue.enqueue_processing(document_id, priority=QueuePriority.LOW)
    job = _start(queue, worker_name=None, started_at=datetime.now(UTC))  # e.g. started by a plain `rq worker`
    queue.enqueue_processing(document_id, priority=QueuePriority.LOW)
    assert queue.queues[QueuePriority.LOW].count == 0  # it may still be running
    job.started_at = datetime.now(UTC) - timedelta(seconds=40)
    job.save()
    queue.enqueue_processing(document_id, priority=QueuePriority.LOW)
    assert queue.queues[QueuePriority.LOW].count == 1  # past its limit: its worker is gone


def test_a_running_worker_keeps_its_liveness_key_and_removes_it_when_it_stops(
        redis_server_url: str, redis_prefix: str) -> None:
    queue = RqJobQueue(connect(redis_server_url), "tests.integration.rq_probe.alive_keys", prefix=redis_prefix,
                       retry_delays=())
    queue.enqueue_processing(uuid.uuid4(), priority=QueuePriority.LOW)
    RqWorkerRunner(queue).run(burst=True, with_scheduler=False)
    seen = queue.connection.lrange(f"{redis_prefix}alive-seen", 0, -1)
    assert len(seen) == 1 and seen[0].startswith(f"{redis_prefix}alive:".encode())  # present during the job
    assert queue.connection.ttl(seen[0]) == -2  # gone once the worker stopped


def test_redis_down_is_job_queue_unavailable() -> None:
    queue = RqJobQueue(connect("redis://127.0.0.1:1/0"), PROBE)
    with pytest.raises(JobQueueUnavailable):
        queue.enqueue_processing(uuid.uuid4(), priority=QueuePriority.HIGH)


class FlakyExtractors:
    """The real extractors, except that the first ``failures`` extractions raise a TransientError
    (and every extraction first sleeps ``delay`` seconds; ``slept`` counts the sleeps that ran out)."""

    def __init__(self, real: object, failures: int, delay: float = 0) -> None:
        self.real, self.failures, self.calls, self.delay = real, failures, 0, delay
        self.slept = 0

    def supported_kinds(self):  # noqa: ANN201
        return self.real.supported_kinds()

    def for_kind(self, kind):  # noqa: ANN001, ANN201
        extractor = self.real.for_kind(kind)
        outer = self

        class Flaky:
            def extract(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                outer.calls += 1
                time.sleep(outer.delay)
                outer.slept += 1
                if outer.calls <= outer.failures:
                    raise TransientError(f"model overloaded (attempt {outer.calls})")
                return extractor.extract(*args, **kwargs)

        return Flaky()


@pytest.fixture
def make_runtime(make_postgres_database: Callable[[], str], redis_server_url: str, redis_prefix: str,
                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[Container, FlakyExtractors]]:
    def make(*, failures: int, retries: int, delay: int, slow: float = 0, **settings: object,
             ) -> tuple[Container, FlakyExtractors]:
        url = make_postgres_database()
        upgrade(url)
        container = build_container(database_url=url, redis_url=redis_server_url, redis_prefix=redis_prefix,
                                    home=tmp_path / "var", job_retries=retries, job_retry_delay=delay, **settings)
        flaky = FlakyExtractors(container.extractors(), failures, slow)
        container.extractors.override(providers.Object(flaky))
        monkeypatch.setattr(jobs, "container", lambda: container)  # the worker's jobs use this container
        return container, flaky

    return make


def _upload(container: Container) -> uuid.UUID:
    user = local_user(container)
    result = container.upload_document()(UploadDocumentCommand(
        user_id=user.id, filename="terms.md", data=b"# Terms\n\nInvoices are payable within 30 days.\n"))
    return result.document.id


def _document(container: Container, document_id: uuid.UUID):  # noqa: ANN202
    return GetDocument(uow=container.uow())(local_user(container).id, document_id)


def test_transient_failures_retry_then_succeed(make_runtime) -> None:  # noqa: ANN001
    container, flaky = make_runtime(failures=2, retries=3, delay=0)
    document_id = _upload(container)
    container.worker_runner().run(burst=True, with_scheduler=False)
    document = _document(container, document_id)
    assert document.status is DocumentStatus.COMPLETED and flaky.calls == 3


def test_retries_wait_with_backoff_through_the_scheduler(make_runtime) -> None:  # noqa: ANN001
    container, flaky = make_runtime(failures=1, retries=2, delay=2)
    document_id = _upload(container)
    started = time.monotonic()
    container.worker_runner().run(burst=True, with_scheduler=False)  # fails; the retry is scheduled
    assert flaky.calls == 1 and _document(container, document_id).status is DocumentStatus.PROCESSING
    queue = container.queue()
    scheduler = SchedulerThread(list(queue.queues.values()), queue.connection, interval=0.2)
    scheduler.start()
    try:
        while time.monotonic() - started < 30 and queue.queues[QueuePriority.LOW].count == 0:
            time.sleep(0.1)
    finally:
        scheduler.stop()
    assert time.monotonic() - started >= 1  # the retry waited for its 2 s delay (RQ keeps whole seconds)
    container.worker_runner().run(burst=True, with_scheduler=False)
    assert _document(container, document_id).status is DocumentStatus.COMPLETED and flaky.calls == 2


def test_retries_exhausted_mark_the_document_failed_with_a_reason(make_runtime) -> None:  # noqa: ANN001
    container, flaky = make_runtime(failures=100, retries=2, delay=0)
    document_id = _upload(container)
    container.worker_runner().run(burst=True, with_scheduler=False)
    document = _document(container, document_id)
    assert flaky.calls == 3  # the first attempt and two retries
    assert document.status is DocumentStatus.FAILED and document.error_code == "service_unavailable"
    assert "stayed unavailable" in document.error_message


def test_a_job_past_its_tier_time_limit_fails_the_document_without_retry(make_runtime) -> None:  # noqa: ANN001
    container, flaky = make_runtime(failures=0, retries=2, delay=0, slow=5,
                                    tiers={"free": {"job_timeout_seconds": 1}})
    document_id = _upload(container)
    container.worker_runner().run(burst=True, with_scheduler=False)
    document = _document(container, document_id)
    assert flaky.calls == 1 and flaky.slept == 0  # stopped at 1 s inside its 5 s extraction, not retried
    assert document.status is DocumentStatus.FAILED and document.error_code == "file_too_complex"
    assert "longer than your tier allows" in document.error_message
