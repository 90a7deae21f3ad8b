"""Background jobs: processing documents outside the request."""

from __future__ import annotations

import uuid
from typing import Protocol

from application.errors import TransientError
from domain.tiers import QueuePriority


class JobQueueUnavailable(TransientError):
    """The queue could not take the job; the document stays pending for the sweeper."""


class JobQueue(Protocol):
    def enqueue_processing(self, document_id: uuid.UUID, *, priority: QueuePriority) -> None: ...
