"""Who is looking at a page: the signed-in user of the session cookie (entrypoints.api.cookie_session),
or nobody; and the language the page speaks to them in.

``signed_in`` is the dependency of every page that needs an account: without a live session it
raises SignInRequired, which entrypoints.web.errors turns into a redirect to /signin (clearing a
cookie whose session has ended). ``form_of`` reads a page form and checks its CSRF field."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import attrs
from starlette.datastructures import FormData
from starlette.requests import Request

from domain.errors import InvalidCredentials, UserNotFound
from domain.users import User
from entrypoints.api.cookie_session import CSRF_FIELD, check_csrf, cookie_claims, csrf_token
from entrypoints.api.dependencies import container_of, live_session
from entrypoints.api.threads import run_fast
from entrypoints.api.languages import DEFAULT, negotiate, supported
from entrypoints.web.i18n import LANGUAGE_COOKIE


@attrs.frozen
class Visitor:
    user: User
    session_id: uuid.UUID
    csrf: str = attrs.field(repr=False)  # the session's CSRF token, for forms and scripts


class SignInRequired(Exception):
    """No live session: go to /signin (``ended``: a cookie came whose session is over)."""

    def __init__(self, next_path: str, *, ended: bool) -> None:
        super().__init__(next_path)
        self.next_path, self.ended = next_path, ended


async def visitor_of(request: Request) -> Visitor | None:
    """The signed-in visitor, or None without a session cookie; InvalidCredentials (SessionEnded,
    TokenExpired) for a cookie that no longer opens a session. A banned account raises UserBanned."""
    container = container_of(request)
    claims = cookie_claims(container, request)
    if claims is None:
        return None
    session_id = await live_session(request, container, claims)
    try:
        user = await run_fast(request, container.log_in().account, claims.user_id)
    except UserNotFound:
        raise InvalidCredentials("The account is gone.") from None
    return Visitor(user=user, session_id=session_id, csrf=csrf_token(container, session_id))


async def signed_in(request: Request) -> Visitor:
    """The visitor of a page that needs an account (SignInRequired otherwise)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    try:
        visitor = await visitor_of(request)
    except InvalidCredentials:
        raise SignInRequired(target, ended=True) from None
    if visitor is None:
        raise SignInRequired(target, ended=False)
    return visitor


async def maybe_signed_in(request: Request) -> Visitor | None:
    """The visitor when the cookie opens a live session, else None (pages open to everyone)."""
    try:
        return await visitor_of(request)
    except InvalidCredentials:
        return None


async def form_of(request: Request, visitor: Visitor) -> FormData:
    """A signed-in page form, its ``csrf_token`` field checked (CsrfFailed: a 403 page)."""
    form = await request.form()
    field = form.get(CSRF_FIELD)
    check_csrf(container_of(request), visitor.session_id, field if isinstance(field, str) else None)
    return form


def page_language(request: Request, visitor: Visitor | None) -> str:
    """The user's saved language; before sign-in the language cookie, else Accept-Language, else English."""
    if visitor is not None:
        return supported(visitor.user.language) or DEFAULT
    return (supported(request.cookies.get(LANGUAGE_COOKIE)) or negotiate(request.headers.get("accept-language"))
            or DEFAULT)


def local_path(candidate: str | None, default: str = "/") -> str:
    """``candidate`` when it is a path on this site (no scheme, no host, no ``//`` or ``\\``): where a
    sign-in may send the visitor back to without being an open redirect."""
    if not candidate or not candidate.startswith("/") or candidate.startswith(("//", "/\\")) or "\\" in candidate:
        return default
    if any(ord(c) < 0x20 for c in candidate):
        return default
    return candidate


def signin_url(next_path: str, *, ended: bool = False) -> str:
    query = [] if next_path == "/" else [f"next={quote(next_path, safe='/')}"]
    query += ["ended=1"] if ended else []
    return "/signin" + (f"?{'&'.join(query)}" if query else "")
