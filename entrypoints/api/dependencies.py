"""Request dependencies: the container and the acting user.

Walking skeleton: every request acts as the installation's local user. The REST API issue
replaces ``current_user`` with JWT and API-key authentication."""

from __future__ import annotations

import structlog
from fastapi import Request

from config.bootstrap import local_user
from config.container import Container
from domain.users import User


def get_container(request: Request) -> Container:
    return request.app.state.container


async def current_user(request: Request) -> User:
    """Async so the ``user_id`` bound here reaches the logs of the whole request."""
    user = local_user(get_container(request))
    structlog.contextvars.bind_contextvars(user_id=str(user.id))
    return user
