"""What a user has used and has left: requests per window, documents, file size cap; and what their
questions consumed: tokens and cost per UTC day over the last ``days`` days (today included)."""

from __future__ import annotations

import uuid

import attrs

from application.ports.clock import Clock
from application.ports.rate_limiter import RateLimiter, WindowUsage
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from domain.conversations import DailyTotals, DailyUsage, period_start
from domain.tiers import TierPolicy
from domain.users import Tier


def question_key(user_id: uuid.UUID) -> str:
    """The rate-limit key under which a user's questions are counted."""
    return f"questions:{user_id}"


@attrs.frozen(kw_only=True)
class UsageReport(DailyTotals):
    tier: Tier
    windows: tuple[WindowUsage, ...]  # unlimited windows are absent
    documents_used: int
    documents_allowed: int | None
    max_file_bytes: int
    daily: tuple[DailyUsage, ...] = ()  # oldest day first; days without questions are absent


@attrs.define
class GetUsage:
    uow: UnitOfWork
    limiter: RateLimiter
    tiers: TierPolicy
    clock: Clock | None = None  # without a clock, no per-day history is reported
    days: int = 30

    def __call__(self, user_id: uuid.UUID, *, history: bool = False) -> UsageReport:
        """``history``: also tokens and cost per day (one more query; rate-limit headers skip it)."""
        with self.uow as uow:
            user = active_user(uow, user_id)
            documents_used = uow.documents.count_for_owner(user.id, include_failed=False)  # the quota's count
            daily: list[DailyUsage] = []
            if history and self.clock is not None:
                daily = uow.conversations.usage_by_day(user.id, since=period_start(self.clock.now(), self.days))
        limits = self.tiers.for_tier(user.tier)
        decision = self.limiter.peek(question_key(user.id), limits.request_limits())
        return UsageReport(tier=user.tier, windows=decision.windows, documents_used=documents_used,
                           documents_allowed=limits.max_documents, max_file_bytes=limits.max_file_bytes,
                           daily=tuple(daily))
