"""What a user has used and has left: requests per window, documents, file size cap."""

from __future__ import annotations

import uuid

import attrs

from application.ports.rate_limiter import RateLimiter, WindowUsage
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from domain.tiers import TierPolicy
from domain.users import Tier


def question_key(user_id: uuid.UUID) -> str:
    """The rate-limit key under which a user's questions are counted."""
    return f"questions:{user_id}"


@attrs.frozen(kw_only=True)
class UsageReport:
    tier: Tier
    windows: tuple[WindowUsage, ...]  # unlimited windows are absent
    documents_used: int
    documents_allowed: int | None
    max_file_bytes: int


@attrs.define
class GetUsage:
    uow: UnitOfWork
    limiter: RateLimiter
    tiers: TierPolicy

    def __call__(self, user_id: uuid.UUID) -> UsageReport:
        with self.uow as uow:
            user = active_user(uow, user_id)
            documents_used = uow.documents.count_for_owner(user.id)
        limits = self.tiers.for_tier(user.tier)
        decision = self.limiter.peek(question_key(user.id), limits.request_limits())
        return UsageReport(tier=user.tier, windows=decision.windows, documents_used=documents_used,
                           documents_allowed=limits.max_documents, max_file_bytes=limits.max_file_bytes)
