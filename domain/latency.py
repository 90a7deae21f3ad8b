"""Answer latencies as a histogram with fixed buckets, from which percentiles are read.

A period's percentiles used to be computed over every latency of the period, shipped one integer
per question from the database: at two million questions that is a disk sort and a million rows to
Python per report. A histogram with fixed buckets can be summed per day in a rollup row and added
across days and users, so a year's report reads 365 small rows instead. The price is resolution:
a percentile is reported as the upper bound of the bucket its rank falls into, at most a third above
the true value from 10 ms on (the steps are x1.2 to x1.33) and exact below 10 ms, where the buckets
are 1 ms wide.

The bounds are part of the stored data (rollup rows keep counts by bucket index): append new bounds
at the end only, never change or insert one, or the stored histograms would be misread.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping

import attrs

_STEPS = (10, 12, 15, 20, 25, 30, 40, 50, 60, 80)  # x1.2 to x1.33 apart, read as "under N ms"
# Upper bounds in ms (inclusive); the last bucket (index len(BOUNDS_MS)) holds everything above.
BOUNDS_MS: tuple[int, ...] = tuple(range(1, 10)) + tuple(
    step * 10**decade for decade in range(5) for step in _STEPS) + (1_000_000,)
OVERFLOW = len(BOUNDS_MS)  # index of the bucket above the last bound, reported as that bound


@attrs.frozen(kw_only=True)
class Percentiles:
    p50: int
    p90: int
    p99: int


def bucket_of(latency_ms: int) -> int:
    """The index of the bucket holding ``latency_ms`` (negative values count as 0 ms)."""
    return bisect.bisect_left(BOUNDS_MS, max(latency_ms, 0))


def upper_bound(bucket: int) -> int:
    """What a percentile in ``bucket`` is reported as: the bucket's upper bound (the overflow
    bucket's lower one)."""
    return BOUNDS_MS[min(bucket, OVERFLOW - 1)]


def histogram(latencies: Iterable[int]) -> dict[int, int]:
    """Counts by bucket index of the given latencies (absent buckets: 0)."""
    counts: dict[int, int] = {}
    for value in latencies:
        index = bucket_of(value)
        counts[index] = counts.get(index, 0) + 1
    return counts


def merge(histograms: Iterable[Mapping[int, int]]) -> dict[int, int]:
    total: dict[int, int] = {}
    for one in histograms:
        for index, count in one.items():
            total[index] = total.get(index, 0) + count
    return total


def percentiles(counts: Mapping[int, int]) -> Percentiles | None:
    """Nearest-rank p50/p90/p99 of a histogram, each reported as its bucket's upper bound; None
    when it is empty."""
    ordered = sorted((index, count) for index, count in counts.items() if count > 0)
    total = sum(count for _, count in ordered)
    if not total:
        return None

    def rank(p: int) -> int:
        wanted, seen = max(math.ceil(p / 100 * total), 1), 0
        for index, count in ordered:
            seen += count
            if seen >= wanted:
                return upper_bound(index)
        raise AssertionError("unreachable: the ranks are within the total")

    return Percentiles(p50=rank(50), p90=rank(90), p99=rank(99))
