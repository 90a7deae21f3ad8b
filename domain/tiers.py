"""Tier limits and request windows: what each tier may do, and when a window resets."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import attrs

from domain.users import Tier

MiB = 1024 * 1024


class Window(StrEnum):
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"

    @property
    def seconds(self) -> int:
        return {"minute": 60, "hour": 3600, "day": 86400}[self.value]


class QueuePriority(StrEnum):
    HIGH = "high"
    DEFAULT = "default"
    LOW = "low"


@attrs.frozen(kw_only=True)
class TierLimits:
    """``None`` means unlimited."""

    per_minute: int | None
    per_hour: int | None
    per_day: int | None
    max_documents: int | None
    max_file_bytes: int
    queue_priority: QueuePriority
    max_pages: int = 2000
    max_characters: int = 20_000_000
    max_processing_seconds: int = 600
    job_timeout_seconds: int = 1800  # hard stop of a background job (a safety net above the processing cap)
    # retention (application/use_cases/apply_retention.py): None keeps for ever (the default of every tier)
    keep_conversations_days: int | None = attrs.field(default=None, validator=attrs.validators.optional(
        attrs.validators.ge(1)))  # questions and answers (thread turns too) older than this go
    keep_documents_days: int | None = attrs.field(default=None, validator=attrs.validators.optional(
        attrs.validators.ge(1)))  # documents neither changed nor asked about for this long go, with all they own
    keep_analytics_days: int | None = attrs.field(default=None, validator=attrs.validators.optional(
        attrs.validators.ge(1)))  # raw analytics events older than this go, once their days are rolled up

    def request_limits(self) -> dict[Window, int]:
        limits = {Window.MINUTE: self.per_minute, Window.HOUR: self.per_hour, Window.DAY: self.per_day}
        return {w: n for w, n in limits.items() if n is not None}


DEFAULT_LIMITS: dict[Tier, TierLimits] = {
    Tier.FREE: TierLimits(per_minute=10, per_hour=100, per_day=500, max_documents=10,
                          max_file_bytes=20 * MiB, queue_priority=QueuePriority.LOW,
                          max_pages=300, max_characters=3_000_000, max_processing_seconds=300,
                          job_timeout_seconds=600),
    Tier.PREMIUM: TierLimits(per_minute=30, per_hour=500, per_day=5000, max_documents=100,
                             max_file_bytes=100 * MiB, queue_priority=QueuePriority.DEFAULT,
                             max_pages=1500, max_characters=10_000_000, max_processing_seconds=900,
                             job_timeout_seconds=1200),
    Tier.ENTERPRISE: TierLimits(per_minute=None, per_hour=None, per_day=None, max_documents=None,
                                max_file_bytes=500 * MiB, queue_priority=QueuePriority.HIGH,
                                max_pages=5000, max_characters=40_000_000, max_processing_seconds=3600,
                                job_timeout_seconds=4200),
}


@attrs.frozen
class TierPolicy:
    limits: Mapping[Tier, TierLimits] = attrs.field(factory=lambda: dict(DEFAULT_LIMITS))

    def for_tier(self, tier: Tier) -> TierLimits:
        return self.limits[tier]

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, Mapping[str, Any]] | None) -> TierPolicy:
        """Defaults with some fields replaced, e.g. ``{"free": {"per_day": 50}}``."""
        limits = dict(DEFAULT_LIMITS)
        for name, fields in (overrides or {}).items():
            tier = Tier(name)
            values = dict(fields)
            if "queue_priority" in values:
                values["queue_priority"] = QueuePriority(values["queue_priority"])
            limits[tier] = attrs.evolve(limits[tier], **values)
        return cls(limits)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def window_start(now: datetime, window: Window) -> datetime:
    """Fixed windows aligned to the epoch in UTC: a minute starts at :00, a day at midnight UTC.

    Exact integer arithmetic (floor division), so a moment just before a boundary, or before
    1970, never lands in the next window as ``int(timestamp())`` truncation would put it."""
    seconds = (now - _EPOCH) // timedelta(seconds=1)
    return _EPOCH + timedelta(seconds=seconds - seconds % window.seconds)


def window_reset(now: datetime, window: Window) -> datetime:
    return window_start(now, window) + timedelta(seconds=window.seconds)
