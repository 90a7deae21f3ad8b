"""The Admin page (administrators only; anyone else gets the 404 page, as for an address that does
not exist, so the page's existence is not disclosed): users with a search by email, tier change,
ban and unban; everyone's analytics as charts.

The same use cases as /api/v1/users and /api/v1/analytics?scope=global (ListUsers, SetTier,
SetStatus, GetAnalytics), which check the administrator themselves: the 404 here only chooses
what a non-administrator sees. Every form posts with the CSRF field and redirects back to the
list as it was (search and page kept) with a flash message."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from application.use_cases.get_analytics import Scope
from domain.errors import PermissionDenied
from domain.users import Tier, UserStatus
from entrypoints.api.threads import run_fast
from entrypoints.web.errors import not_found
from entrypoints.web.flash import flash_of, redirect_url
from entrypoints.web.i18n import Translator
from entrypoints.web.pages import render
from entrypoints.web.report_charts import analytics_charts, percent
from entrypoints.web.visitors import Visitor, container_of, form_of, local_path, page_language, signed_in

router = APIRouter(include_in_schema=False)
SignedIn = Annotated[Visitor, Depends(signed_in)]
PAGE = "/admin"
PAGE_SIZE = 50
PERIODS = (7, 30, 90, 365)  # days of analytics to choose from
SEARCH_MAX = 254
STATUS_OF = {"ban": UserStatus.BANNED, "unban": UserStatus.ACTIVE}
Action = Literal["ban", "unban"]


def _number(value: str | None, allowed: tuple[int, ...] | None = None, default: int = 0) -> int:
    """A query parameter as a number; anything else (or not allowed) is the default, not an error."""
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if (number in allowed if allowed else 0 <= number <= 10**9) else default


def _back(form: FormData) -> str:
    """Where the form came from: the admin page with its search, never anywhere else."""
    value = form.get("back")
    back = local_path(value if isinstance(value, str) else None, PAGE)
    return back if back == PAGE or back.startswith(PAGE + "?") else PAGE


@router.get(PAGE)
async def admin_page(request: Request, visitor: SignedIn) -> Response:
    if not visitor.user.is_admin:
        return await not_found(request)
    container = container_of(request)
    query = request.query_params
    search = (query.get("email") or "").strip()[:SEARCH_MAX]
    offset = _number(query.get("offset"))
    days = _number(query.get("days"), PERIODS, 30)
    users = await run_fast(request, container.list_users(), visitor.user.id, limit=PAGE_SIZE + 1, offset=offset,
                           email_contains=search or None)
    report = await run_in_threadpool(container.get_analytics(), visitor.user.id, scope=Scope.GLOBAL, days=days)
    t = Translator(page_language(request, visitor))
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return render(request, "admin.html", visitor=visitor, title_key="admin_title", data={},
                  flash=flash_of(request, t), users=users[:PAGE_SIZE], search=search, offset=offset,
                  older=offset + PAGE_SIZE if len(users) > PAGE_SIZE else None,
                  newer=max(offset - PAGE_SIZE, 0) if offset else None, days=days, periods=PERIODS,
                  tiers=list(Tier), report=report, charts=analytics_charts(t, report), percent=percent,
                  back=redirect_url(here))


@router.post(PAGE + "/users/{user_id}/tier")
async def change_tier(request: Request, user_id: uuid.UUID, visitor: SignedIn) -> Response:
    if not visitor.user.is_admin:
        return await not_found(request)
    form = await form_of(request, visitor)
    try:
        tier = Tier(form.get("tier"))
    except ValueError:
        return RedirectResponse(redirect_url(_back(form), failed="tier"), status_code=303)
    await run_in_threadpool(container_of(request).set_tier(), visitor.user.id, user_id, tier)
    return RedirectResponse(redirect_url(_back(form), done="tier"), status_code=303)


@router.get(PAGE + "/users/{user_id}/{action}")
async def confirm_status(request: Request, user_id: uuid.UUID, action: Action, visitor: SignedIn) -> Response:
    """The confirmation without scripts (with them, a dialog on the Admin page asks the same)."""
    if not visitor.user.is_admin:
        return await not_found(request)
    user = await run_fast(request, container_of(request).list_users().one, visitor.user.id, user_id)
    t = Translator(page_language(request, visitor))
    return render(request, "confirm.html", visitor=visitor, title_key=f"{action}_title",
                  text=t(f"{action}_confirm", name=user.display_name),
                  action=f"{PAGE}/users/{user.id}/{action}", button=t(f"{action}_yes"), cancel=PAGE)


@router.post(PAGE + "/users/{user_id}/{action}")
async def change_status(request: Request, user_id: uuid.UUID, action: Action, visitor: SignedIn) -> Response:
    """Ban (every request of theirs is refused from now on, cookie, token or key) or lift a ban."""
    if not visitor.user.is_admin:
        return await not_found(request)
    form = await form_of(request, visitor)
    try:
        await run_in_threadpool(container_of(request).set_status(), visitor.user.id, user_id, STATUS_OF[action])
    except PermissionDenied:
        return RedirectResponse(redirect_url(_back(form), failed="ban_self"), status_code=303)
    return RedirectResponse(redirect_url(_back(form), done=f"{action}ned"), status_code=303)
