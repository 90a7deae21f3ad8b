"""The worker's own figures: each job's duration by outcome, and the live worker processes.

``assistant_job_seconds{outcome}``: ok (the document reached an end: completed or failed with a
reason), retry (a transient error: RQ runs it again later), failed (a transient error on the last
attempt, or any unexpected error), timed_out (past its tier's time limit). Its ``_count`` is the
number of jobs. ``assistant_worker_processes`` is 1 in each worker process that runs its loop; in
multiprocess mode the live processes' values are summed (the "worker absent" alert).
"""

from __future__ import annotations

from prometheus_client import Gauge, Histogram

OUTCOMES = ("ok", "retry", "failed", "timed_out")

JOB_SECONDS = Histogram("assistant_job_seconds", "Duration of a document job by outcome", ["outcome"],
                        buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 3600))
for _outcome in OUTCOMES:
    JOB_SECONDS.labels(_outcome)
WORKERS = Gauge("assistant_worker_processes", "Worker processes working the queues", multiprocess_mode="livesum")
