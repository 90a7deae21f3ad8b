import threading
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.ratelimit.memory import MemoryRateLimiter
from domain.tiers import Window, window_reset, window_start
from tests.fakes import FakeClock

BIG = 10**9


def at(clock: FakeClock, instant: datetime) -> None:
    clock.current = instant


@settings(max_examples=150, deadline=None)
@given(
    instant=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    window=st.sampled_from(list(Window)),
    limit=st.integers(min_value=1, max_value=15),
    fractions=st.lists(st.floats(min_value=0, max_value=1, exclude_max=True), min_size=16, max_size=16),
)
def test_exactly_limit_hits_per_window(instant: datetime, window: Window, limit: int, fractions: list[float]) -> None:
    clock = FakeClock(instant)
    limiter = MemoryRateLimiter(clock)
    limits = {w: (limit if w is window else BIG) for w in Window}
    start, reset = window_start(instant, window), window_reset(instant, window)
    span_us = window.seconds * 1_000_000
    instants = sorted(start + timedelta(microseconds=int(f * span_us)) for f in fractions[: limit + 1])
    for i, moment in enumerate(instants[:limit], start=1):
        at(clock, moment)
        decision = limiter.hit("k", limits)
        assert decision.allowed
        assert [u.window for u in decision.windows] == [Window.MINUTE, Window.HOUR, Window.DAY]
        assert {u.window: u.used for u in decision.windows}[window] == i
    at(clock, instants[limit])
    refused = limiter.hit("k", limits)
    assert not refused.allowed
    assert refused.exhausted is not None
    assert refused.exhausted.window is window
    assert refused.exhausted.used == limit and refused.exhausted.remaining == 0
    assert refused.exhausted.reset_at == reset == window_reset(clock.now(), window)
    at(clock, reset - timedelta(microseconds=1))
    assert not limiter.hit("k", limits).allowed
    at(clock, reset)
    admitted = limiter.hit("k", limits)
    assert admitted.allowed and admitted.exhausted is None
    assert {u.window: u.used for u in admitted.windows}[window] == 1
    assert limiter.peek("other", limits).allowed, "keys are independent"


def test_refused_hits_consume_no_window() -> None:
    clock = FakeClock(datetime(2026, 1, 5, 9, 0, 30, tzinfo=UTC))
    limiter = MemoryRateLimiter(clock)
    limits = {Window.MINUTE: 2, Window.HOUR: 3, Window.DAY: 100}
    assert [limiter.hit("u", limits).allowed for _ in range(4)] == [True, True, False, False]
    decision = limiter.peek("u", limits)
    assert [u.used for u in decision.windows] == [2, 2, 2]
    assert not decision.allowed and decision.exhausted.window is Window.MINUTE
    clock.advance(60)
    assert limiter.hit("u", limits).allowed, "the refused hits left room in the hour"
    refused = limiter.hit("u", limits)
    assert not refused.allowed and refused.exhausted.window is Window.HOUR
    assert refused.exhausted.reset_at == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert [u.used for u in refused.windows] == [1, 3, 3]


def test_peek_counts_nothing_and_reports_all_windows() -> None:
    clock = FakeClock(datetime(2026, 1, 5, 23, 59, 59, tzinfo=UTC))
    limiter = MemoryRateLimiter(clock)
    limits = {Window.DAY: 3, Window.MINUTE: 1}
    for _ in range(3):
        decision = limiter.peek("u", limits)
    assert decision.allowed
    assert [(u.window, u.used, u.reset_at) for u in decision.windows] == [
        (Window.MINUTE, 0, datetime(2026, 1, 6, 0, 0, tzinfo=UTC)),
        (Window.DAY, 0, datetime(2026, 1, 6, 0, 0, tzinfo=UTC)),
    ]
    limiter.hit("u", limits)
    assert [u.used for u in limiter.peek("u", limits).windows] == [1, 1]


def test_no_limits_means_allowed() -> None:
    decision = MemoryRateLimiter(FakeClock()).hit("u", {})
    assert decision.allowed and decision.windows == ()


def test_old_counters_are_dropped() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(clock)
    limits = {Window.MINUTE: 5, Window.HOUR: 50, Window.DAY: 500}
    for n in range(1000):
        limiter.hit(f"user-{n}", limits)
    assert len(limiter) == 1000
    clock.advance(86400)
    limiter.hit("fresh", limits)
    assert len(limiter) == 1


def test_threads_never_exceed_the_limit() -> None:
    limiter = MemoryRateLimiter(FakeClock())
    limits = {Window.MINUTE: 100, Window.HOUR: 1000, Window.DAY: 10000}
    allowed: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        results = [limiter.hit("shared", limits).allowed for _ in range(50)]
        with lock:
            allowed.extend(results)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 400 and sum(allowed) == 100
    assert [u.used for u in limiter.peek("shared", limits).windows] == [100, 100, 100]
