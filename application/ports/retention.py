"""What retention needs from the database beyond the repositories: set-wise reads and deletes over
every user of a tier (adapters/persistence/retention.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from domain.users import Tier


class RetentionStore(Protocol):
    def old_conversations(self, tier: Tier, before: datetime, *, delete: bool) -> int:
        """How many questions and answers of the tier's users were asked before ``before`` (thread
        turns included) and in days the analytics rollups already hold (when they hold any);
        ``delete``: delete them, with the threads not active since, in one transaction."""
        ...

    def old_analytics_events(self, tier: Tier, before: datetime, *, delete: bool) -> int:
        """How many raw analytics events of the tier's users are older than ``before`` and in days
        already rolled up; ``delete``: delete them."""
        ...

    def untouched_documents(self, tier: Tier, before: datetime) -> list[uuid.UUID]:
        """The tier's users' completed or failed documents not changed since ``before``, with no
        question about them and no thread naming them active since then; oldest first."""
        ...
