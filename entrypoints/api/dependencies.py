"""Request dependencies: the container and the user behind the access token, API key or the
dashboard's session cookie."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Annotated

import attrs
import structlog
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from application.ports.security import TokenClaims, TokenKind
from config.container import Container
from domain.api_keys import looks_like_api_key
from domain.errors import InvalidCredentials, PermissionDenied, UserNotFound
from domain.users import User
from entrypoints.api.cookie_session import CSRF_HEADER, UNSAFE_METHODS, check_csrf, cookie_claims
from entrypoints.api.threads import run_fast

bearer = HTTPBearer(auto_error=False, description="An access token from POST /api/v1/auth/login "
                    "(an API key is accepted here too: `Authorization: Bearer ak_...`).")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="An API key from POST /api/v1/api-keys (`ak_...`), for server-to-server use.")
AUTH_TOKEN, AUTH_API_KEY, AUTH_COOKIE = "token", "api_key", "cookie"
LOGINS = frozenset({AUTH_TOKEN, AUTH_COOKIE})  # a person who logged in (not an API key)


def container_of(request: Request) -> Container:
    return request.app.state.container


async def get_container(request: Request) -> Container:
    """Async on purpose: FastAPI runs a sync dependency in the thread pool, a hop per request."""
    return container_of(request)


@attrs.frozen
class Principal:
    """Who is asking, by id, and how they proved it (``AUTH_TOKEN``, ``AUTH_API_KEY`` or
    ``AUTH_COOKIE``, the dashboard's session cookie: entrypoints.api.cookie_session). Routes pass
    the id to their use case, which loads the user and refuses a banned or inactive one in the same
    unit of work as the rest of its reads."""

    id: uuid.UUID
    method: str
    session_id: uuid.UUID | None = None  # the login session of an access token or of the cookie


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    api_key: Annotated[str | None, Depends(api_key_header)],
) -> Principal:
    """The user id of the access token (verified here; its session checked against the sessions
    table, remembered for a few seconds: application.use_cases.session_guard) or of the API key
    (looked up, with its user); without either, the session cookie (checked like an access token,
    and for POST/PUT/PATCH/DELETE only with the session's CSRF token in ``X-CSRF-Token``: 403
    ``csrf_failed`` otherwise); 401 without any. ``X-API-Key`` wins when both headers are sent;
    a bearer credential starting with ``ak_`` is an API key too. Async, so the ``user_id`` bound
    here reaches the logs of the whole request."""
    container = container_of(request)
    token = credentials.credentials if credentials is not None and credentials.scheme.lower() == "bearer" else None
    if api_key is None and token is not None and not looks_like_api_key(token):
        claims = container.token_issuer().read(token, kind=TokenKind.ACCESS)
        return _authenticated(claims.user_id, AUTH_TOKEN, await live_session(request, container, claims))
    key = api_key if api_key is not None else token
    if key is None:
        cookie = cookie_claims(container, request)
        if cookie is None:
            raise InvalidCredentials("Authentication required: send 'Authorization: Bearer <access token>' "
                                     "or 'X-API-Key: <API key>'.")
        session_id = await live_session(request, container, cookie)
        if request.method in UNSAFE_METHODS:
            check_csrf(container, session_id, request.headers.get(CSRF_HEADER))
        return _authenticated(cookie.user_id, AUTH_COOKIE, session_id)
    user = await run_in_threadpool(container.api_keys().user_for, key)
    return _authenticated(user.id, AUTH_API_KEY)


async def live_session(connection: HTTPConnection, container: Container, claims: TokenClaims) -> uuid.UUID:
    """The session id of an access token's or the session cookie's claims, once the session is known
    live (SessionEnded otherwise): from this process's memory when it knows, with no thread, else
    read in the fast pool. Shared by the API, the WebSocket gateway and the web pages."""
    if claims.session_id is None:  # an access token issued before sessions existed
        raise InvalidCredentials("The token is not valid: log in again.")
    guard = container.session_guard()
    if not guard.known(claims.user_id, claims.session_id):  # not known live here: read (a known-ended one raises)
        await run_fast(connection, guard.check, claims.user_id, claims.session_id)
    return claims.session_id


def _authenticated(user_id: uuid.UUID, method: str, session_id: uuid.UUID | None = None) -> Principal:
    structlog.contextvars.bind_contextvars(user_id=str(user_id), auth=method)
    return Principal(user_id, method, session_id)


@contextlib.contextmanager
def as_principal() -> Iterator[None]:
    """A credential whose user no longer exists is an invalid credential (401)."""
    try:
        yield
    except UserNotFound:
        raise InvalidCredentials("The token is not valid.") from None


async def current_user(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> User:
    """The account itself, loaded (for the routes that show it): 403 when banned."""
    return await run_fast(request, container_of(request).log_in().account, principal.id)


async def session_principal(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """The user of a login (an access token or the dashboard's session cookie), not of an API key: a
    leaked key must not be able to mint keys that would outlive its own revocation, change the
    password or end sessions."""
    if principal.method not in LOGINS:
        raise PermissionDenied("This needs an access token from POST /api/v1/auth/login, not an API key.")
    return principal


ContainerDep = Annotated[Container, Depends(get_container)]
UserDep = Annotated[User, Depends(current_user)]
SessionPrincipalDep = Annotated[Principal, Depends(session_principal)]
PrincipalDep = Annotated[Principal, Depends(current_principal)]
