"""Request dependencies: the container and the user behind the bearer token."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from config.container import Container
from domain.errors import InvalidCredentials
from domain.users import User

bearer = HTTPBearer(auto_error=False, description="An access token from POST /api/v1/auth/login.")


def get_container(request: Request) -> Container:
    return request.app.state.container


async def current_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> User:
    """The active user of the access token (401 without one, 403 when banned).

    Async (with the database lookup in the thread pool) so the ``user_id`` bound here reaches
    the logs of the whole request."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise InvalidCredentials("Authentication required: send 'Authorization: Bearer <access token>'.")
    user = await run_in_threadpool(get_container(request).log_in().user_for, credentials.credentials)
    structlog.contextvars.bind_contextvars(user_id=str(user.id))
    return user


ContainerDep = Annotated[Container, Depends(get_container)]
UserDep = Annotated[User, Depends(current_user)]
