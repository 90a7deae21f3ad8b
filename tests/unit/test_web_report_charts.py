"""Which figures of the usage and analytics reports the dashboard's charts show."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

from application.ports.rate_limiter import WindowUsage
from application.use_cases.get_analytics import AnalyticsReport, Percentiles, Scope
from application.use_cases.get_usage import UsageReport
from domain.conversations import DailyUsage
from domain.documents import DocumentKind, DocumentStatus
from domain.tiers import Window
from domain.users import Tier
from domain.conversations import every_day
from entrypoints.web.report_charts import analytics_charts, money, usage_charts

SVG = "{http://www.w3.org/2000/svg}"


def t(key: str, **params: object) -> str:
    """A translator that shows its key, and its parameters when there are any."""
    return key + ("(" + ",".join(f"{k}={v}" for k, v in sorted(params.items())) + ")" if params else "")


def titles(markup: str, tag: str) -> list[str]:
    return [e.findtext(f"{SVG}title") or "" for e in ET.fromstring(str(markup)).iter(f"{SVG}{tag}")]


def usage(daily: tuple[DailyUsage, ...]) -> UsageReport:
    window = WindowUsage(window=Window.DAY, limit=500, used=3, reset_at=datetime(2026, 3, 3))
    return UsageReport(tier=Tier.FREE, windows=(window,), documents_used=1, documents_allowed=10,
                       max_file_bytes=1, daily=daily)


def test_every_day_fills_the_days_without_questions() -> None:
    rows = every_day([DailyUsage(day=date(2026, 3, 2), questions=4)], date(2026, 3, 1), date(2026, 3, 3))
    assert [(r.day.day, r.questions) for r in rows] == [(1, 0), (2, 4), (3, 0)]


def test_usage_charts_show_tokens_and_cost_for_every_day_of_the_period() -> None:
    first, last = date(2026, 2, 2), date(2026, 3, 3)
    report = usage((DailyUsage(day=date(2026, 3, 2), questions=2, tokens_in=1500, tokens_out=90, cost_usd=0.0052),))
    charts = usage_charts(t, report, first=first, last=last)
    cost = titles(charts["cost"], "rect")
    assert len(cost) == 30
    assert "chart_day(day=2,month=month_3): $0.0052" in cost
    assert cost.count("chart_day(day=2,month=month_2): $0") == 1
    tokens = titles(charts["tokens"], "circle")
    assert len(tokens) == 60
    assert "chart_tokens_in, chart_day(day=2,month=month_3): 1.5k" in tokens
    assert "chart_tokens_out, chart_day(day=2,month=month_3): 90" in tokens
    assert "chart_no_questions" not in charts["cost"]


def test_usage_charts_without_questions_say_so() -> None:
    charts = usage_charts(t, usage(()), first=date(2026, 3, 1), last=date(2026, 3, 3))
    assert "chart_no_questions" in charts["cost"] and "chart_no_questions" in charts["tokens"]


def test_analytics_charts() -> None:
    days = (DailyUsage(day=date(2026, 3, 1), questions=4, cached=1), DailyUsage(day=date(2026, 3, 2)),
            DailyUsage(day=date(2026, 3, 3), questions=2, cached=2))
    report = AnalyticsReport(scope=Scope.GLOBAL, first_day=date(2026, 3, 1), last_day=date(2026, 3, 3), daily=days,
                             latency_ms=Percentiles(p50=800, p90=2100, p99=4800),
                             documents_by_kind={DocumentKind.PDF: 3}, documents_by_status={DocumentStatus.FAILED: 1})
    charts = analytics_charts(t, report)
    assert titles(charts["questions"], "rect") == [f"chart_day(day={d},month=month_3): {q}"
                                                   for d, q in ((1, 4), (2, 0), (3, 2))]
    assert titles(charts["cache"], "circle") == ["chart_cache_rate, chart_day(day=1,month=month_3): 25 %",
                                                 "chart_cache_rate, chart_day(day=3,month=month_3): 100 %"]
    assert "chart_day(day=2,month=month_3): chart_no_questions_day" in charts["cache"]  # a gap, not 0 %
    assert titles(charts["latency"], "rect") == ["p50: 800 chart_ms", "p90: 2.1k chart_ms", "p99: 4.8k chart_ms"]
    kinds = titles(charts["kinds"], "rect")
    assert len(kinds) == len(DocumentKind) and "kind_pdf: 3" in kinds and "kind_audio: 0" in kinds
    assert "status_failed: 1" in titles(charts["statuses"], "rect")


def test_analytics_without_questions_has_no_latency_bars() -> None:
    report = AnalyticsReport(scope=Scope.GLOBAL, first_day=date(2026, 3, 1), last_day=date(2026, 3, 1),
                             daily=(DailyUsage(day=date(2026, 3, 1)),), latency_ms=None,
                             documents_by_kind={}, documents_by_status={})
    charts = analytics_charts(t, report)
    assert titles(charts["latency"], "rect") == [] and "chart_no_questions" in charts["latency"]


def test_money() -> None:
    assert [money(v) for v in (0, 0.0052, 0.25, 1.256, 1234.4)] == ["$0", "$0.0052", "$0.25", "$1.26", "$1,234"]


def test_period_of_a_year_fits_the_charts() -> None:
    last = date(2026, 12, 31)
    charts = usage_charts(t, usage(()), first=last - timedelta(days=364), last=last)
    assert len(titles(charts["cost"], "rect")) == 365


def test_a_period_of_free_answers_says_nothing_was_charged() -> None:
    report = usage((DailyUsage(day=date(2026, 3, 2), questions=2, tokens_in=10, cost_usd=0.0),))
    charts = usage_charts(t, report, first=date(2026, 3, 1), last=date(2026, 3, 3))
    assert "chart_no_cost" in charts["cost"] and "chart_no_cost" not in charts["tokens"]


def test_a_zero_cache_rate_is_drawn_not_called_empty() -> None:
    days = (DailyUsage(day=date(2026, 3, 1), questions=3, cached=0),)
    report = AnalyticsReport(scope=Scope.GLOBAL, first_day=date(2026, 3, 1), last_day=date(2026, 3, 1), daily=days,
                             latency_ms=Percentiles(p50=5, p90=6, p99=6), documents_by_kind={DocumentKind.PDF: 1},
                             documents_by_status={DocumentStatus.COMPLETED: 1})
    charts = analytics_charts(t, report)
    assert titles(charts["cache"], "circle") == ["chart_cache_rate, chart_day(day=1,month=month_3): 0 %"]
    assert "chart_no_questions" not in charts["cache"] and "chart_no_documents" not in charts["kinds"]
    assert ">100 %</text>" in charts["cache"]  # a rate's scale ends at 100 %


def test_every_key_the_charts_ask_for_is_in_both_catalogs() -> None:
    from entrypoints.web.i18n import Translator

    full = (DailyUsage(day=date(2026, 1, 31), questions=2, cached=1, tokens_in=5, cost_usd=0.1),)
    for language in ("en", "ru"):
        translate = Translator(language)
        for month in range(1, 13):  # every month's label
            usage_charts(translate, usage(full), first=date(2026, month, 1), last=date(2026, month, 1))
        for daily in ((), full):
            report = AnalyticsReport(scope=Scope.GLOBAL, first_day=date(2026, 1, 31), last_day=date(2026, 1, 31),
                                     daily=daily or (DailyUsage(day=date(2026, 1, 31)),),
                                     latency_ms=Percentiles(p50=1, p90=2, p99=3) if daily else None,
                                     documents_by_kind={}, documents_by_status={})
            analytics_charts(translate, report)
            usage_charts(translate, usage(daily), first=date(2026, 1, 31), last=date(2026, 1, 31))
