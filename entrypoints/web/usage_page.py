"""The Usage page: questions left in each window with its reset time, documents used / allowed,
and tokens and cost per day over the last days as charts.

The figures are GetUsage's, the use case GET /api/v1/usage answers with (``history=True``: the
per-day rows), so the page and the API show the same numbers; the charts are drawn by the server
(report_charts, charts). Reading the page spends nothing: the limiter is only peeked."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from domain.conversations import period_start
from entrypoints.api.threads import run_fast
from entrypoints.web.i18n import Translator
from entrypoints.web.pages import render
from entrypoints.web.report_charts import money, usage_charts
from entrypoints.web.visitors import Visitor, container_of, page_language, signed_in

router = APIRouter(include_in_schema=False)
SignedIn = Annotated[Visitor, Depends(signed_in)]


@router.get("/usage")
async def usage_page(request: Request, visitor: SignedIn) -> Response:
    container = container_of(request)
    get_usage = container.get_usage()
    report = await run_fast(request, get_usage, visitor.user.id, history=True)
    now = container.clock().now()
    first, last = period_start(now, get_usage.days).date(), now.astimezone(UTC).date()  # GetUsage's period
    t = Translator(page_language(request, visitor))
    return render(request, "usage.html", visitor=visitor, title_key="usage_title", report=report,
                  charts=usage_charts(t, report, first=first, last=last), days=get_usage.days, money=money,
                  daily=list(reversed(report.daily)))
