"""The current user, and administration of users (administrators only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from domain.users import Tier, UserStatus
from entrypoints.api.request_body import NO_CONTROL_PATTERN, RequestBody
from entrypoints.api.dependencies import ContainerDep, PrincipalDep, UserDep
from entrypoints.api.schemas import PROBLEM_RESPONSES, UserOut, example

router = APIRouter(prefix="/api/v1/users", tags=["users"])
ERRORS = PROBLEM_RESPONSES(401, 403, 404, 422)


class TierIn(RequestBody):
    model_config = example({"tier": "premium"})

    tier: Tier


@router.get("/me", response_model=UserOut, responses=PROBLEM_RESPONSES(401, 403))
def me(user: UserDep) -> UserOut:
    """Your account."""
    return UserOut.of(user)


@router.get("", response_model=list[UserOut], responses=ERRORS)
def list_users(container: ContainerDep, user: PrincipalDep, limit: Annotated[int, Query(ge=1, le=500)] = 100,
               offset: Annotated[int, Query(ge=0)] = 0,
               email: Annotated[str | None, Query(max_length=254, pattern=NO_CONTROL_PATTERN,
                                                  description="Only users whose email "
                                                  "contains this (case-insensitive).")] = None) -> list[UserOut]:
    """All users, oldest first, or those whose email contains `email` (administrators only)."""
    return [UserOut.of(u) for u in container.list_users()(user.id, limit=limit, offset=offset, email_contains=email)]


@router.put("/{user_id}/tier", response_model=UserOut, responses=ERRORS)
def set_tier(user_id: uuid.UUID, body: TierIn, container: ContainerDep, user: PrincipalDep) -> UserOut:
    """Move a user to another tier (administrators only)."""
    return UserOut.of(container.set_tier()(user.id, user_id, body.tier))


@router.post("/{user_id}/ban", response_model=UserOut, responses=ERRORS)
def ban(user_id: uuid.UUID, container: ContainerDep, user: PrincipalDep) -> UserOut:
    """Ban a user: every request of theirs gets 403 (administrators only)."""
    return UserOut.of(container.set_status()(user.id, user_id, UserStatus.BANNED))


@router.post("/{user_id}/unban", response_model=UserOut, responses=ERRORS)
def unban(user_id: uuid.UUID, container: ContainerDep, user: PrincipalDep) -> UserOut:
    """Lift a ban (administrators only)."""
    return UserOut.of(container.set_status()(user.id, user_id, UserStatus.ACTIVE))
