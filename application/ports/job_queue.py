"""Background jobs: processing documents outside the request."""

from __future__ import annotations

import uuid
from typing import Protocol

from application.errors import TransientError
from domain.tiers import QueuePriority


class JobQueueUnavailable(TransientError):
    """The queue could not take the job; the document stays pending for the sweeper."""


class JobTimedOut(BaseException):
    """Raised inside a job that ran past its time limit. A BaseException, so that no
    ``except Exception`` inside the job swallows it before the job's shell can fail the document."""


class JobQueue(Protocol):
    def enqueue_processing(self, document_id: uuid.UUID, *, priority: QueuePriority) -> None: ...
