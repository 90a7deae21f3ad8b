"""What the user has used and has left."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from domain.conversations import DailyUsage
from entrypoints.api.dependencies import ContainerDep, PrincipalDep, as_principal
from entrypoints.api.ratelimit_headers import decision_headers
from entrypoints.api.schemas import PROBLEM_RESPONSES, example
from entrypoints.api.threads import run_fast

router = APIRouter(prefix="/api/v1", tags=["usage"])


class WindowOut(BaseModel):
    model_config = example({"window": "minute", "limit": 10, "used": 3, "remaining": 7,
                            "reset_at": "2026-03-02T09:16:00Z"})

    window: str
    limit: int
    used: int
    remaining: int
    reset_at: datetime


class DocumentsOut(BaseModel):
    model_config = example({"used": 4, "allowed": 10})

    used: int
    allowed: int | None


class DailyOut(BaseModel):
    model_config = example({"day": "2026-03-02", "questions": 12, "cached": 3, "tokens_in": 15400,
                            "tokens_out": 980, "cost_usd": 0.0052})

    day: date
    questions: int
    cached: int
    tokens_in: int
    tokens_out: int
    cost_usd: float

    @classmethod
    def of(cls, day: DailyUsage) -> DailyOut:
        return cls(day=day.day, questions=day.questions, cached=day.cached, tokens_in=day.tokens_in,
                   tokens_out=day.tokens_out, cost_usd=day.cost_usd)


class UsageOut(BaseModel):
    model_config = example({"tier": "free", "windows": [
        {"window": "minute", "limit": 10, "used": 3, "remaining": 7, "reset_at": "2026-03-02T09:16:00Z"},
        {"window": "hour", "limit": 100, "used": 12, "remaining": 88, "reset_at": "2026-03-02T10:00:00Z"},
        {"window": "day", "limit": 500, "used": 12, "remaining": 488, "reset_at": "2026-03-03T00:00:00Z"}],
        "documents": {"used": 4, "allowed": 10}, "max_file_bytes": 20971520,
        "daily": [{"day": "2026-03-02", "questions": 12, "cached": 3, "tokens_in": 15400, "tokens_out": 980,
                   "cost_usd": 0.0052}]})

    tier: str
    windows: list[WindowOut]
    documents: DocumentsOut
    max_file_bytes: int
    daily: list[DailyOut] = []  # tokens and cost per UTC day, last 30 days, days without questions absent


@router.get("/usage", response_model=UsageOut, responses=PROBLEM_RESPONSES(401, 403))
async def usage(request: Request, container: ContainerDep, user: PrincipalDep, response: Response) -> UsageOut:
    """Questions used and remaining per window (absent windows are unlimited), documents used and allowed."""
    with as_principal():
        report = await run_fast(request, container.get_usage(), user.id, history=True)
    response.headers.update(decision_headers(report.windows))
    return UsageOut(tier=report.tier.value,
                    windows=[WindowOut(window=w.window.value, limit=w.limit, used=w.used, remaining=w.remaining,
                                       reset_at=w.reset_at) for w in report.windows],
                    documents=DocumentsOut(used=report.documents_used, allowed=report.documents_allowed),
                    max_file_bytes=report.max_file_bytes,
                    daily=[DailyOut.of(d) for d in report.daily])
