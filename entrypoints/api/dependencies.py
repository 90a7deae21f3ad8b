"""Request dependencies: the container and the user behind the access token or API key."""

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

from application.ports.security import TokenKind
from config.container import Container
from domain.api_keys import looks_like_api_key
from domain.errors import InvalidCredentials, PermissionDenied, UserNotFound
from domain.users import User

bearer = HTTPBearer(auto_error=False, description="An access token from POST /api/v1/auth/login "
                    "(an API key is accepted here too: `Authorization: Bearer ak_...`).")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="An API key from POST /api/v1/api-keys (`ak_...`), for server-to-server use.")
AUTH_TOKEN, AUTH_API_KEY = "token", "api_key"


def container_of(request: Request) -> Container:
    return request.app.state.container


async def get_container(request: Request) -> Container:
    """Async on purpose: FastAPI runs a sync dependency in the thread pool, a hop per request."""
    return container_of(request)


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    api_key: Annotated[str | None, Depends(api_key_header)],
) -> User:
    """The active user of the access token or API key (401 without one, 403 when banned).

    ``X-API-Key`` wins when both headers are sent; a bearer credential starting with ``ak_`` is an
    API key too. Async (with the database lookup in the thread pool) so the ``user_id`` bound here
    reaches the logs of the whole request."""
    container = container_of(request)
    if api_key is None and credentials is not None and credentials.scheme.lower() == "bearer":
        if looks_like_api_key(credentials.credentials):
            api_key = credentials.credentials
        else:
            user = await run_in_threadpool(container.log_in().user_for, credentials.credentials)
            return _authenticated(request, user, AUTH_TOKEN)
    if api_key is None:
        raise InvalidCredentials("Authentication required: send 'Authorization: Bearer <access token>' "
                                 "or 'X-API-Key: <API key>'.")
    return _authenticated(request, await run_in_threadpool(container.api_keys().user_for, api_key), AUTH_API_KEY)


def _authenticated(request: Request, user: User, method: str) -> User:
    request.state.auth_method = method
    structlog.contextvars.bind_contextvars(user_id=str(user.id), auth=method)
    return user


@attrs.frozen
class Principal:
    """Who is asking, by id only: the routes whose use case loads the user itself (and refuses a
    banned or inactive one in the same unit of work) take this instead of a loaded User."""

    id: uuid.UUID
    method: str


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    api_key: Annotated[str | None, Depends(api_key_header)],
) -> Principal:
    """The user id of the access token (verified here, no database round trip) or of the API key
    (looked up). Bans still take effect on the next request: the route's use case loads the user
    and checks it is active, in the same unit of work as the rest of its reads."""
    if api_key is None and credentials is not None and credentials.scheme.lower() == "bearer" \
            and not looks_like_api_key(credentials.credentials):
        user_id = container_of(request).token_issuer().verify(credentials.credentials, kind=TokenKind.ACCESS)
        request.state.auth_method = AUTH_TOKEN
        structlog.contextvars.bind_contextvars(user_id=str(user_id), auth=AUTH_TOKEN)
        return Principal(user_id, AUTH_TOKEN)
    user = await current_user(request, credentials, api_key)
    return Principal(user.id, request.state.auth_method)


@contextlib.contextmanager
def as_principal() -> Iterator[None]:
    """A token whose user no longer exists is an invalid token (401), as for ``current_user``."""
    try:
        yield
    except UserNotFound:
        raise InvalidCredentials("The token is not valid.") from None


async def session_user(request: Request, user: Annotated[User, Depends(current_user)]) -> User:
    """The user of an access token (a login), not of an API key: a leaked key must not be able to
    mint keys that would outlive its own revocation."""
    if request.state.auth_method != AUTH_TOKEN:
        raise PermissionDenied("API keys cannot create API keys: use an access token from POST /api/v1/auth/login.")
    return user


ContainerDep = Annotated[Container, Depends(get_container)]
UserDep = Annotated[User, Depends(current_user)]
SessionUserDep = Annotated[User, Depends(session_user)]
PrincipalDep = Annotated[Principal, Depends(current_principal)]
