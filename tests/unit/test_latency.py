"""Latency histograms with fixed buckets (domain.latency): bucketing, merging, percentiles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.latency import BOUNDS_MS, OVERFLOW, Percentiles, bucket_of, histogram, merge, percentiles, upper_bound


def test_bounds_ascend_and_buckets_include_their_upper_bound() -> None:
    assert list(BOUNDS_MS) == sorted(set(BOUNDS_MS))
    assert [bucket_of(ms) for ms in (-5, 0, 1, 2, 9, 10, 11, 12, 13)] == [0, 0, 0, 1, 8, 9, 10, 10, 11]
    assert bucket_of(BOUNDS_MS[-1]) == OVERFLOW - 1 and bucket_of(BOUNDS_MS[-1] + 1) == OVERFLOW
    assert upper_bound(OVERFLOW) == BOUNDS_MS[-1]


def test_percentiles_are_nearest_rank_reported_as_bucket_upper_bounds() -> None:
    assert percentiles({}) is None and percentiles({3: 0}) is None
    assert percentiles(histogram([7])) == Percentiles(p50=7, p90=7, p99=7)  # exact below 10 ms
    assert percentiles(histogram([1, 2])) == Percentiles(p50=1, p90=2, p99=2)
    assert percentiles(histogram(range(1, 101))) == Percentiles(p50=50, p90=100, p99=100)
    assert percentiles(histogram(range(1, 1001))) == Percentiles(p50=500, p90=1000, p99=1000)
    assert percentiles(histogram([5] * 98 + [1000, 2000])) == Percentiles(p50=5, p90=5, p99=1000)
    assert percentiles(histogram([5_000_000])) == Percentiles(p50=1_000_000, p90=1_000_000, p99=1_000_000)


def test_merged_histograms_count_like_one() -> None:
    assert merge([histogram([1, 50, 50]), histogram([50, 7000]), {}]) == histogram([1, 50, 50, 50, 7000])


@given(st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=1, max_size=300))
def test_a_percentile_is_never_below_the_exact_one_and_at_most_a_third_above(values: list[int]) -> None:
    ordered = sorted(values)
    found = percentiles(histogram(values))
    assert found is not None
    for p, reported in ((50, found.p50), (90, found.p90), (99, found.p99)):
        exact = ordered[max(-(-p * len(ordered) // 100), 1) - 1]
        if exact <= BOUNDS_MS[-1]:
            assert exact <= reported <= max(exact * 4 // 3 + 1, 1)
        else:
            assert reported == BOUNDS_MS[-1]
