"""Tier defaults, overrides and request-window boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.tiers import DEFAULT_LIMITS, MiB, QueuePriority, TierPolicy, Window, window_reset, window_start
from domain.users import Tier


def test_defaults_match_the_architecture() -> None:
    free, premium, enterprise = (TierPolicy().for_tier(t) for t in (Tier.FREE, Tier.PREMIUM, Tier.ENTERPRISE))
    assert (free.per_minute, free.per_hour, free.per_day, free.max_documents) == (10, 100, 500, 10)
    assert (premium.per_minute, premium.per_hour, premium.per_day, premium.max_documents) == (30, 500, 5000, 100)
    assert (enterprise.per_minute, enterprise.per_hour, enterprise.per_day, enterprise.max_documents) == (
        None, None, None, None)
    assert enterprise.queue_priority is QueuePriority.HIGH
    assert free.queue_priority is QueuePriority.LOW and premium.queue_priority is QueuePriority.DEFAULT
    assert free.max_file_bytes < premium.max_file_bytes < enterprise.max_file_bytes


def test_request_limits_leave_out_unlimited_windows() -> None:
    policy = TierPolicy()
    assert policy.for_tier(Tier.FREE).request_limits() == {Window.MINUTE: 10, Window.HOUR: 100, Window.DAY: 500}
    assert policy.for_tier(Tier.ENTERPRISE).request_limits() == {}


def test_with_overrides_replaces_only_the_named_fields() -> None:
    policy = TierPolicy.with_overrides({"free": {"per_day": 50, "max_file_bytes": 5 * MiB},
                                        "premium": {"queue_priority": "high"}})
    free = policy.for_tier(Tier.FREE)
    assert free.per_day == 50 and free.max_file_bytes == 5 * MiB
    assert free.per_minute == 10 and free.max_documents == 10
    assert policy.for_tier(Tier.PREMIUM).queue_priority is QueuePriority.HIGH
    assert policy.for_tier(Tier.ENTERPRISE) == DEFAULT_LIMITS[Tier.ENTERPRISE]
    assert DEFAULT_LIMITS[Tier.FREE].per_day == 500  # the defaults are not mutated


def test_with_overrides_none_is_the_defaults() -> None:
    assert TierPolicy.with_overrides(None) == TierPolicy()
    assert TierPolicy.with_overrides({}) == TierPolicy()


@pytest.mark.parametrize("overrides", [{"gold": {"per_day": 1}}, {"free": {"per_week": 1}},
                                       {"free": {"queue_priority": "urgent"}}])
def test_with_overrides_rejects_unknown_names(overrides: dict) -> None:
    with pytest.raises((ValueError, TypeError)):
        TierPolicy.with_overrides(overrides)


_ZONES = st.sampled_from([UTC, timezone(timedelta(hours=3)), timezone(timedelta(hours=-7, minutes=-30)),
                          timezone(timedelta(hours=5, minutes=45)), timezone(timedelta(hours=14))])
_MOMENTS = st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2200, 12, 30), timezones=_ZONES)


@settings(max_examples=300, deadline=None)
@given(now=_MOMENTS, window=st.sampled_from(list(Window)))
def test_window_contains_now_and_is_aligned(now: datetime, window: Window) -> None:
    start, reset = window_start(now, window), window_reset(now, window)
    assert start.tzinfo is not None and start.utcoffset() == timedelta(0)
    assert start <= now < reset
    assert reset - start == timedelta(seconds=window.seconds)
    assert start.microsecond == 0 and start.second == 0
    if window is not Window.MINUTE:
        assert start.minute == 0
    if window is Window.DAY:
        assert start.hour == 0


@settings(max_examples=200, deadline=None)
@given(now=_MOMENTS, window=st.sampled_from(list(Window)))
def test_a_boundary_starts_a_new_window(now: datetime, window: Window) -> None:
    reset = window_reset(now, window)
    assert window_start(reset, window) == reset
    assert window_start(reset - timedelta(microseconds=1), window) == window_start(now, window)
    assert window_reset(reset, window) == reset + timedelta(seconds=window.seconds)


@pytest.mark.parametrize(
    ("now", "window", "start", "reset"),
    [
        (datetime(2026, 1, 5, 9, 0, 59, 999999, UTC), Window.MINUTE,
         datetime(2026, 1, 5, 9, 0, tzinfo=UTC), datetime(2026, 1, 5, 9, 1, tzinfo=UTC)),
        (datetime(2026, 1, 5, 9, 1, tzinfo=UTC), Window.MINUTE,
         datetime(2026, 1, 5, 9, 1, tzinfo=UTC), datetime(2026, 1, 5, 9, 2, tzinfo=UTC)),
        (datetime(2026, 1, 5, 9, 59, 30, tzinfo=UTC), Window.HOUR,
         datetime(2026, 1, 5, 9, tzinfo=UTC), datetime(2026, 1, 5, 10, tzinfo=UTC)),
        # 01:30 in Moscow is 22:30 UTC the day before: days are UTC days
        (datetime(2026, 1, 5, 1, 30, tzinfo=timezone(timedelta(hours=3))), Window.DAY,
         datetime(2026, 1, 4, tzinfo=UTC), datetime(2026, 1, 5, tzinfo=UTC)),
        (datetime(1969, 12, 31, 23, 59, 59, 500000, UTC), Window.MINUTE,
         datetime(1969, 12, 31, 23, 59, tzinfo=UTC), datetime(1970, 1, 1, tzinfo=UTC)),
    ],
)
def test_window_examples(now: datetime, window: Window, start: datetime, reset: datetime) -> None:
    assert window_start(now, window) == start
    assert window_reset(now, window) == reset
