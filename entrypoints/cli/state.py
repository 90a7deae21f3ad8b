"""The container, built once per process on first use, and the acting user."""

from __future__ import annotations

import functools

from config.bootstrap import build_container, local_user
from config.container import Container
from domain.users import User


@functools.cache
def container() -> Container:
    return build_container()


def acting_user(email: str | None) -> User:
    """``--user EMAIL`` (looked up by the local administrator), or the local default user."""
    operator = local_user(container())
    if email is None:
        return operator
    return container().find_user()(operator.id, email)
