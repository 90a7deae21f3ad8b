"""Analytics: your questions, tokens, cost, latency and documents; everyone's for administrators."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, TypeAdapter

from application.use_cases.get_analytics import MAX_DAYS, AnalyticsReport, Scope
from domain.documents import DocumentKind, DocumentStatus
from entrypoints.api.dependencies import ContainerDep, PrincipalDep, as_principal
from entrypoints.api.schemas import PROBLEM_RESPONSES, example
from entrypoints.api.usage import DailyOut

router = APIRouter(prefix="/api/v1", tags=["analytics"])


class TotalsOut(BaseModel):
    questions: int = Field(..., examples=[42])
    cached: int = Field(..., description="Questions answered from the cache.", examples=[9])
    tokens_in: int = Field(..., examples=[51200])
    tokens_out: int = Field(..., examples=[3900])
    cost_usd: float = Field(..., examples=[0.0171])


class LatencyOut(BaseModel):
    p50: int = Field(..., examples=[840])
    p90: int = Field(..., examples=[2100])
    p99: int = Field(..., examples=[4800])


class DocumentCountsOut(BaseModel):
    by_kind: dict[str, int] = Field(..., description="Every kind, 0 when none.", examples=[{"pdf": 3, "xlsx": 1}])
    by_status: dict[str, int] = Field(..., description="Every status, 0 when none.",
                                      examples=[{"completed": 3, "failed": 1}])


class AnalyticsOut(BaseModel):
    model_config = example({
        "scope": "own", "first_day": "2026-02-01", "last_day": "2026-03-02",
        "totals": {"questions": 42, "cached": 9, "tokens_in": 51200, "tokens_out": 3900, "cost_usd": 0.0171},
        "cache_hit_rate": 0.2143, "latency_ms": {"p50": 840, "p90": 2100, "p99": 4800},
        "daily": [{"day": "2026-03-02", "questions": 12, "cached": 3, "tokens_in": 15400, "tokens_out": 980,
                   "cost_usd": 0.0052}],
        "documents": {"by_kind": {"pdf": 3, "xlsx": 1}, "by_status": {"completed": 3, "failed": 1}},
        "active_users": None})

    scope: Scope
    first_day: date = Field(..., description="The period's first UTC day.")
    last_day: date = Field(..., description="Today (UTC), included.")
    totals: TotalsOut
    cache_hit_rate: float | None = Field(..., description="Share of questions answered from the cache (0..1); "
                                                          "null without questions.", examples=[0.2143])
    latency_ms: LatencyOut | None = Field(..., description="Percentiles of the answers' latency (nearest rank); "
                                                           "null without questions.")
    daily: list[DailyOut] = Field(..., description="Every UTC day of the period, oldest first, zeros included.")
    documents: DocumentCountsOut = Field(..., description="Documents as they stand now (not only the period's).")
    active_users: int | None = Field(None, description="Global scope: users who asked at least one question "
                                                        "in the period; null for your own scope.")

    @classmethod
    def of(cls, report: AnalyticsReport) -> AnalyticsOut:
        latency = report.latency_ms
        return cls(
            scope=report.scope, first_day=report.first_day, last_day=report.last_day,
            totals=TotalsOut(questions=report.questions, cached=report.cached, tokens_in=report.tokens_in,
                             tokens_out=report.tokens_out, cost_usd=report.cost_usd),
            cache_hit_rate=report.cache_hit_rate,
            latency_ms=LatencyOut(p50=latency.p50, p90=latency.p90, p99=latency.p99) if latency else None,
            daily=_DAILY.validate_python(report.daily, from_attributes=True),  # 365 rows: validated in one call
            documents=DocumentCountsOut(
                by_kind={k.value: report.documents_by_kind.get(k, 0) for k in DocumentKind},
                by_status={s.value: report.documents_by_status.get(s, 0) for s in DocumentStatus}),
            active_users=report.active_users,
        )


_DAILY = TypeAdapter(list[DailyOut])


@router.get("/analytics", response_model=AnalyticsOut, responses=PROBLEM_RESPONSES(401, 403, 422))
def analytics(
    container: ContainerDep,
    user: PrincipalDep,
    scope: Annotated[Scope, Query(description="`own`, or `global` (administrators only: 403 otherwise).")]
    = Scope.OWN,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS, description="The last N UTC days, today included.")] = 30,
) -> Response:
    """Questions per UTC day, tokens and cost, latency percentiles, cache hit rate, documents by kind and
    status: yours, or everyone's with `scope=global` (administrators only)."""
    with as_principal():
        report = container.get_analytics()(user.id, scope=scope, days=days)
    # serialised here by pydantic's JSON encoder: returning the model would have FastAPI validate it
    # again and encode it through Python dicts (365 daily rows); the documented schema is the same
    return Response(AnalyticsOut.of(report).model_dump_json(), media_type="application/json")
