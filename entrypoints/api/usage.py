"""What the user has used and has left."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel

from entrypoints.api.dependencies import ContainerDep, UserDep
from entrypoints.api.ratelimit_headers import rate_limit_headers
from entrypoints.api.schemas import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["usage"])


class WindowOut(BaseModel):
    window: str
    limit: int
    used: int
    remaining: int
    reset_at: datetime


class DocumentsOut(BaseModel):
    used: int
    allowed: int | None


class DailyOut(BaseModel):
    day: date
    questions: int
    cached: int
    tokens_in: int
    tokens_out: int
    cost_usd: float


class UsageOut(BaseModel):
    tier: str
    windows: list[WindowOut]
    documents: DocumentsOut
    max_file_bytes: int
    daily: list[DailyOut] = []  # tokens and cost per UTC day, last 30 days, days without questions absent


@router.get("/usage", response_model=UsageOut, responses=PROBLEM_RESPONSES(401, 403))
def usage(container: ContainerDep, user: UserDep, response: Response) -> UsageOut:
    """Questions used and remaining per window (absent windows are unlimited), documents used and allowed."""
    report = container.get_usage()(user.id, history=True)
    response.headers.update(rate_limit_headers(report))
    return UsageOut(tier=report.tier.value,
                    windows=[WindowOut(window=w.window.value, limit=w.limit, used=w.used, remaining=w.remaining,
                                       reset_at=w.reset_at) for w in report.windows],
                    documents=DocumentsOut(used=report.documents_used, allowed=report.documents_allowed),
                    max_file_bytes=report.max_file_bytes,
                    daily=[DailyOut(day=d.day, questions=d.questions, cached=d.cached, tokens_in=d.tokens_in,
                                    tokens_out=d.tokens_out, cost_usd=d.cost_usd) for d in report.daily])
