"""Errors as RFC 9457 problem details (application/problem+json), never a stack trace."""

from __future__ import annotations

from datetime import UTC, datetime
from collections.abc import Sequence
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from domain.errors import DomainError, RateLimited, ServiceUnavailable

log = structlog.get_logger(__name__)

STATUS_BY_CODE: dict[str, int] = {
    "invalid_input": 422, "user_not_found": 404, "user_banned": 403, "user_inactive": 403, "email_taken": 409,
    "invalid_credentials": 401, "permission_denied": 403, "document_not_found": 404, "document_not_ready": 409,
    "document_failed": 409, "no_active_document": 409, "document_quota_exceeded": 403, "file_empty": 422,
    "file_too_large": 413, "unsupported_file_type": 415, "file_encrypted": 422, "file_corrupt": 422,
    "no_text_found": 422, "rate_limited": 429, "service_unavailable": 503,
    "token_expired": 401, "registration_closed": 403, "api_key_not_found": 404, "link_refused": 409,
    "password_required": 422, "file_too_complex": 422, "hostile_file": 422, "duplicate_file_part": 400,
    "session_ended": 401, "login_throttled": 429, "thumbnail_not_found": 404, "chunk_not_found": 404, "page_not_found": 404, "thread_not_found": 404, "thread_documents_gone": 409,
    "csrf_failed": 403,
    "stored_file_unreadable": 500,  # the server's storage key or file is at fault, not the request
}
PROBLEM_JSON = "application/problem+json"
SAFE_OUTAGE_DETAILS = ("service",)  # the one member of a 503's details shown to the caller


def problem_body(status: int, code: str, detail: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A problem document's members; ``extra`` members never replace the standard ones (type, status ...)."""
    return {**(extra or {}), "type": f"about:blank#{code}", "title": code.replace("_", " ").capitalize(),
            "status": status, "detail": detail, "code": code}


def problem(status: int, code: str, detail: str, extra: dict[str, Any] | None = None) -> JSONResponse:
    """A problem response (application/problem+json)."""
    return JSONResponse(problem_body(status, code, detail, extra), status_code=status, media_type=PROBLEM_JSON)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        details = error.details
        if isinstance(error, ServiceUnavailable):  # what is down, in plain words; hosts, ports and the
            # driver's message go to the log only (with the request id the client sees)
            log.warning("service_unavailable", path=request.url.path, **details)
            details = {key: details[key] for key in SAFE_OUTAGE_DETAILS if key in details}
        response = problem(STATUS_BY_CODE.get(error.code, 400), error.code, error.message, details)
        if response.status_code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"' if request.headers.get(
                "authorization") else "Bearer"
        if isinstance(error, RateLimited):  # the refusing window: nothing left until it resets
            retry_after = str(max(1, int((error.reset_at - datetime.now(UTC)).total_seconds())))
            response.headers.update({"Retry-After": retry_after, "RateLimit-Limit": str(error.limit),
                                     "RateLimit-Remaining": "0", "RateLimit-Reset": retry_after})
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in error.errors()]
        return problem(422, "invalid_input", _summary(error.errors()), {"errors": errors})

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code == 400:  # a body that is not JSON at all
            return problem(400, "invalid_input", "The request body could not be parsed.")
        response = problem(error.status_code, "http_error", str(error.detail))
        response.headers.update(getattr(error, "headers", None) or {})
        if error.status_code == 405:  # every method of the path, not only the first route's
            response.headers["Allow"] = ", ".join(sorted(_methods_for(request)))
        return response

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> JSONResponse:
        log.exception("request_crashed", path=request.url.path)
        return problem(500, "internal_error", "An unexpected error occurred; it has been logged.")


def _summary(errors: Sequence[Any]) -> str:
    """The detail of a 422: what is wrong with the first invalid parameter when it is an id in the
    path (``document_id must be a document id (UUID)``), else a general sentence (``errors`` lists all)."""
    first = errors[0] if errors else {}
    loc = first.get("loc", ())
    if len(loc) == 2 and loc[0] == "path" and str(first.get("type", "")).startswith("uuid"):
        name = str(loc[1])
        return f"{name} must be a {name.removesuffix('_id').replace('_', ' ')} id (UUID)."
    if loc and loc[0] in ("path", "query") and len(loc) == 2:
        return f"{loc[1]}: {first.get('msg', 'invalid')}."
    return "The request is not valid."


def _methods_for(request: Request) -> set[str]:
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return methods
