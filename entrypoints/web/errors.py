"""Error pages for page addresses; the API's routes keep their problem+json.

An address is a page address unless it belongs to the API (``/api/``, the operational routes, the
API's documentation). For those the handlers installed before (entrypoints.api.problems) answer as
they always did. For pages:
- an unknown address, and another user's document or thread (the use cases raise *NotFound for
  both, so they look the same), is the 404 page;
- a crash is the 500 page: no stack trace, no internal address (the log has them, with the
  request id);
- a page that needs an account redirects to /signin (clearing a cookie whose session ended);
- any other domain error is a page with its status, the error's message and what to do next.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from domain.errors import (DocumentNotFound, DomainError, InvalidCredentials, ThreadNotFound, ThumbnailNotFound,
                           UserNotFound)
from entrypoints.api.cookie_session import SESSION_COOKIE, CsrfFailed, clear_session_cookie
from entrypoints.api.problems import STATUS_BY_CODE
from entrypoints.web.pages import render
from entrypoints.web.visitors import SignInRequired, container_of, maybe_signed_in, signin_url

log = structlog.get_logger(__name__)
API_PATHS = ("/api/", "/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/redoc", "/telegram/")
NOT_FOUND = (DocumentNotFound, ThreadNotFound, ThumbnailNotFound, UserNotFound)
Handler = Callable[[Request, Exception], Awaitable[Response]]


def is_page(request: Request) -> bool:
    path = request.url.path
    return not path.startswith(API_PATHS) and path not in ("/docs", "/redoc")


def install(app: FastAPI) -> None:
    """Wrap the API's handlers (installed first): pages get HTML, the API keeps problem+json."""
    previous: dict[type[Exception], Handler] = dict(app.exception_handlers)  # type: ignore[arg-type]

    def wrapped(kind: type[Exception], page: Handler) -> None:
        fallback = previous.get(kind)

        async def handler(request: Request, error: Exception) -> Response:
            if is_page(request) or fallback is None:
                return await page(request, error)
            return await fallback(request, error)

        app.add_exception_handler(kind, handler)

    wrapped(HTTPException, _http_error)
    wrapped(RequestValidationError, _invalid_address)
    wrapped(DomainError, _domain_error)
    wrapped(Exception, _crash)
    app.add_exception_handler(SignInRequired, _sign_in)  # type: ignore[arg-type]


async def _sign_in(request: Request, error: SignInRequired) -> Response:
    response = RedirectResponse(signin_url(error.next_path, ended=error.ended), status_code=303)
    if error.ended or request.cookies.get(SESSION_COOKIE):
        clear_session_cookie(response, container_of(request))
    return response


async def _http_error(request: Request, error: Exception) -> Response:
    status = error.status_code if isinstance(error, HTTPException) else 500
    if status == 404:
        return await not_found(request)
    return await error_page(request, status, None)


async def _invalid_address(request: Request, error: Exception) -> Response:
    """A page address whose parameters are malformed (a document id that is not a UUID) leads nowhere."""
    return await not_found(request)


async def _domain_error(request: Request, error: Exception) -> Response:
    if isinstance(error, NOT_FOUND):
        return await not_found(request)
    if isinstance(error, InvalidCredentials):
        return await _sign_in(request, SignInRequired(request.url.path, ended=True))
    assert isinstance(error, DomainError)
    status = 403 if isinstance(error, CsrfFailed) else STATUS_BY_CODE.get(error.code, 400)
    return await error_page(request, status, error)


async def _crash(request: Request, error: Exception) -> Response:
    log.exception("page_crashed", path=request.url.path)
    return await error_page(request, 500, None)


async def not_found(request: Request) -> Response:
    """The one 404 page: an unknown address and something that is not the visitor's look alike."""
    return await error_page(request, 404, None)


async def error_page(request: Request, status: int, error: DomainError | None) -> Response:
    try:
        visitor = await maybe_signed_in(request)
    except Exception:  # noqa: BLE001 - an error page must render even when the account cannot be read
        visitor = None
    title = {404: "error_title_404", 500: "error_title_500", 403: "error_title_403", 429: "error_title_429"}
    return render(request, "error.html", visitor=visitor, status=status, title_key=title.get(status, "error_title"),
                  status_code=status, message=error.message if error is not None else None,
                  code=error.code if error is not None else None)
