from datetime import UTC, datetime, timedelta

from adapters.system.clock import SystemClock


def test_now_is_aware_utc_and_current() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - now) < timedelta(seconds=5)
