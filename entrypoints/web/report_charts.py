"""The Usage and Admin pages' charts, drawn from the use cases' reports (UsageReport,
AnalyticsReport): which figures go on which chart, labelled in the reader's language.

Kept apart from the pages so the choice of charts is tested without a server, and apart from
charts.py, which knows SVG but nothing of usage or analytics. ``t(key, **params)`` is the page's
translator; every key used here is in both catalogs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from markupsafe import Markup

from application.use_cases.get_analytics import AnalyticsReport
from application.use_cases.get_usage import UsageReport
from domain.conversations import every_day
from domain.documents import DocumentKind, DocumentStatus
from entrypoints.web.charts import Series, bar_chart, line_chart, number

Translate = Callable[..., str]


def money(value: float) -> str:
    """US dollars as an axis or a table shows them: $0, $0.0052, $1.25, $1,234."""
    if value == 0:
        return "$0"
    if value >= 100:
        return f"${value:,.0f}"
    if value >= 1:
        return f"${value:,.2f}"
    return f"${value:.2g}"


def percent(value: float) -> str:
    return f"{value:g} %"


def day_label(t: Translate, day: date) -> str:
    return t("chart_day", day=day.day, month=t(f"month_{day.month}"))


def usage_charts(t: Translate, report: UsageReport, *, first: date, last: date) -> dict[str, Markup]:
    """The user's tokens (in and out) and cost per day from ``first`` to ``last``."""
    rows = every_day(report.daily, first, last)
    labels = [day_label(t, d.day) for d in rows]
    no_questions = t("chart_no_questions") if not report.daily else ""
    free = t("chart_no_cost") if report.daily and not any(d.cost_usd for d in rows) else ""
    return {
        "tokens": line_chart("usage-tokens", t("chart_tokens_title"), labels,
                             [Series(t("chart_tokens_in"), [d.tokens_in for d in rows]),
                              Series(t("chart_tokens_out"), [d.tokens_out for d in rows])],
                             empty=no_questions),
        "cost": bar_chart("usage-cost", t("chart_cost_title"), labels, [d.cost_usd for d in rows],
                          fmt=money, empty=no_questions or free),
    }


def analytics_charts(t: Translate, report: AnalyticsReport) -> dict[str, Markup]:
    """Everyone's questions and cache hit rate per day, answer latency percentiles, documents by
    kind and by status (every kind and status, zeros included, so the bars keep their places)."""
    rows = report.daily
    labels = [day_label(t, d.day) for d in rows]
    latency = report.latency_ms
    ms = t("chart_ms")
    no_questions = t("chart_no_questions") if not report.questions else ""
    no_documents = t("chart_no_documents") if not sum(report.documents_by_kind.values()) else ""
    return {
        "questions": bar_chart("admin-questions", t("chart_questions_title"), labels,
                               [d.questions for d in rows], empty=no_questions, whole=True),
        "cache": line_chart("admin-cache", t("chart_cache_title"), labels,
                            [Series(t("chart_cache_rate"), [round(100 * d.cached / d.questions, 1)
                                                            if d.questions else None for d in rows])],
                            fmt=percent, missing=t("chart_no_questions_day"), empty=no_questions, top=100),
        "latency": bar_chart("admin-latency", t("chart_latency_title"),
                             ["p50", "p90", "p99"] if latency else [],
                             [latency.p50, latency.p90, latency.p99] if latency else [],
                             fmt=lambda v: f"{number(v)} {ms}", empty=no_questions),
        "kinds": bar_chart("admin-kinds", t("chart_kinds_title"), [t(f"kind_{k.value}") for k in DocumentKind],
                           [report.documents_by_kind.get(k, 0) for k in DocumentKind], empty=no_documents,
                           whole=True),
        "statuses": bar_chart("admin-statuses", t("chart_statuses_title"),
                              [t(f"status_{s.value}") for s in DocumentStatus],
                              [report.documents_by_status.get(s, 0) for s in DocumentStatus], empty=no_documents,
                              whole=True),
    }
