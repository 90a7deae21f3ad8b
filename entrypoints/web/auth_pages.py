"""Sign in, register, sign out and the language switch: the same accounts and use cases as
POST /api/v1/auth/* (LogIn with its throttle, RegisterUser with "registration closed", Sessions).

The sign-in and register forms are shown before there is a session, so they carry the
double-submit pre-session token (entrypoints.api.cookie_session); sign-out and the signed-in
language switch carry the session's CSRF token. A successful sign-in sets the session cookie and
goes back to the page that asked for it (a path on this site only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from application.use_cases.register_user import RegisterUserCommand
from domain.errors import EmailTaken, InvalidCredentials, InvalidInput, LoginThrottled, RegistrationClosed
from entrypoints.api.cookie_session import (CSRF_FIELD, PRE_SESSION_COOKIE, SESSION_COOKIE, check_csrf,
                                            clear_session_cookie, new_pre_session_token, pre_session_valid,
                                            set_pre_session_cookie, set_session_cookie)
from entrypoints.api.languages import supported
from entrypoints.web.i18n import LANGUAGE_COOKIE, Translator
from entrypoints.web.pages import render
from entrypoints.web.visitors import (Visitor, container_of, form_of, local_path, maybe_signed_in, page_language,
                                      signed_in)

router = APIRouter(include_in_schema=False)
MaybeVisitor = Annotated[Visitor | None, Depends(maybe_signed_in)]
SignedIn = Annotated[Visitor, Depends(signed_in)]


def _registration_open(request: Request) -> bool:
    return container_of(request).settings().registration == "open"


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _pre_session(request: Request) -> tuple[str, bool]:
    """The visitor's pre-session token (kept while valid, so two open tabs both work) and whether
    it is new (then the response sets the cookie)."""
    container = container_of(request)
    current = request.cookies.get(PRE_SESSION_COOKIE)
    if current and pre_session_valid(container, current, current):
        return current, False
    return new_pre_session_token(container), True


def _form_page(request: Request, template: str, title_key: str, *, status: int = 200, **context: object) -> Response:
    token, fresh = _pre_session(request)
    response = render(request, template, status=status, title_key=title_key, csrf_token=token,
                      registration_open=_registration_open(request), **context)
    if fresh:
        set_pre_session_cookie(response, container_of(request), token)
    if request.cookies.get(SESSION_COOKIE):  # a cookie that opened no session: drop it
        clear_session_cookie(response, container_of(request))
    return response


def _form_expired(form: FormData, request: Request) -> bool:
    return not pre_session_valid(container_of(request), request.cookies.get(PRE_SESSION_COOKIE),
                                 _field(form, CSRF_FIELD))


@router.get("/signin")
async def signin_page(request: Request, visitor: MaybeVisitor) -> Response:
    if visitor is not None:
        return RedirectResponse(local_path(request.query_params.get("next")), status_code=303)
    t = Translator(page_language(request, None))
    notice = t("session_ended") if request.query_params.get("ended") else (
        t("signed_out") if request.query_params.get("out") else None)
    return _form_page(request, "signin.html", "signin_title", next_path=local_path(request.query_params.get("next")),
                      email="", error=None, notice=notice)


@router.post("/signin")
async def signin(request: Request) -> Response:
    form = await request.form()
    t = Translator(page_language(request, None))
    email, next_path = _field(form, "email")[:254], local_path(_field(form, "next"))
    values = {"next_path": next_path, "email": email, "notice": None}
    if _form_expired(form, request):
        return _form_page(request, "signin.html", "signin_title", status=403, error=t("form_expired"), **values)
    address = request.client.host if request.client else ""
    container = container_of(request)
    try:
        login = await run_in_threadpool(container.log_in().web, email, _field(form, "password")[:1024],
                                        address=address)
    except LoginThrottled as error:
        return _form_page(request, "signin.html", "signin_title", status=429, error=error.message, **values)
    except InvalidCredentials:
        return _form_page(request, "signin.html", "signin_title", status=401, error=t("bad_credentials"), **values)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(response, container, login.token)
    response.delete_cookie(PRE_SESSION_COOKIE, path="/")
    return response


@router.get("/register")
async def register_page(request: Request, visitor: MaybeVisitor) -> Response:
    if visitor is not None:
        return RedirectResponse("/", status_code=303)
    status = 200 if _registration_open(request) else 403
    return _form_page(request, "register.html", "register_title", status=status, email="", username="", error=None)


@router.post("/register")
async def register(request: Request) -> Response:
    form = await request.form()
    t = Translator(page_language(request, None))
    email, password = _field(form, "email")[:254], _field(form, "password")[:1024]
    username = _field(form, "username").strip()[:64] or None
    language = supported(_field(form, "language")) or page_language(request, None)
    values = {"email": email, "username": username or ""}
    if _form_expired(form, request):
        return _form_page(request, "register.html", "register_title", status=403, error=t("form_expired"), **values)
    container = container_of(request)
    command = RegisterUserCommand(email=email, password=password, username=username, language=language,
                                  self_service=True)
    try:
        await run_in_threadpool(container.register_user(), command)
        login = await run_in_threadpool(container.log_in().web, email, password,
                                        address=request.client.host if request.client else "")
    except RegistrationClosed:
        return _form_page(request, "register.html", "register_title", status=403, error=None, **values)
    except (EmailTaken, InvalidInput) as error:
        return _form_page(request, "register.html", "register_title", status=422, error=error.message, **values)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, container, login.token)
    response.delete_cookie(PRE_SESSION_COOKIE, path="/")
    return response


@router.post("/signout")
async def signout(request: Request, visitor: SignedIn) -> Response:
    """End the session (as POST /api/v1/auth/logout does) and clear the cookie."""
    await form_of(request, visitor)
    container = container_of(request)
    await run_in_threadpool(container.sessions().end, visitor.user.id, visitor.session_id)
    response = RedirectResponse("/signin?out=1", status_code=303)
    clear_session_cookie(response, container)
    return response


@router.post("/language")
async def language(request: Request, visitor: MaybeVisitor) -> Response:
    """Signed in: the saved language (set_language, as the bot's /lang). Before sign-in: a cookie."""
    form = await request.form()
    container = container_of(request)
    chosen = supported(_field(form, "language"))
    response = RedirectResponse(local_path(_field(form, "next")), status_code=303)
    if visitor is not None:
        check_csrf(container, visitor.session_id, _field(form, CSRF_FIELD))
        if chosen:
            await run_in_threadpool(container.set_language(), visitor.user.id, chosen)
    elif _form_expired(form, request):
        return _form_page(request, "signin.html", "signin_title", status=403, next_path="/", email="",
                          error=Translator(page_language(request, None))("form_expired"), notice=None)
    if chosen:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 86400, path="/", samesite="lax", httponly=True)
    return response
