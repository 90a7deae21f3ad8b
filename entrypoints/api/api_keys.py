"""API keys for server-to-server use: create (the secret is in that response only), list, revoke."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from domain.api_keys import NAME_MAX_LENGTH, ApiKey
from entrypoints.api.request_body import RequestBody
from entrypoints.api.dependencies import ContainerDep, PrincipalDep, SessionPrincipalDep, as_principal
from entrypoints.api.schemas import EXAMPLE_TIME, PROBLEM_RESPONSES, example

router = APIRouter(prefix="/api/v1/api-keys", tags=["api keys"])


class ApiKeyIn(RequestBody):
    model_config = example({"name": "CI server"})

    name: str = Field(..., min_length=1, max_length=NAME_MAX_LENGTH, pattern=r"\S",
                      description="What the key is for, to recognise it later.", examples=["CI server"])


class ApiKeyOut(BaseModel):
    model_config = example({"id": "3c9a7e21-6f4b-4d2a-9e8c-5b1f0a7d6e42", "name": "CI server",
                            "prefix": "ak_1a2b3c4d", "created_at": EXAMPLE_TIME,
                            "last_used_at": "2026-03-05T11:40:00Z", "revoked_at": None})

    id: uuid.UUID
    name: str
    prefix: str = Field(..., description="The first characters of the key, to tell keys apart.",
                        examples=["ak_1a2b3c4d"])
    created_at: datetime
    last_used_at: datetime | None = Field(None, description="Updated at most once a minute.")
    revoked_at: datetime | None = None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(id=key.id, name=key.name, prefix=key.prefix, created_at=key.created_at,
                   last_used_at=key.last_used_at, revoked_at=key.revoked_at)


class ApiKeyCreatedOut(BaseModel):
    model_config = example({"id": "3c9a7e21-6f4b-4d2a-9e8c-5b1f0a7d6e42", "name": "CI server",
                            "prefix": "ak_1a2b3c4d", "key": "ak_1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
                            "created_at": EXAMPLE_TIME})

    id: uuid.UUID
    name: str
    prefix: str = Field(..., examples=["ak_1a2b3c4d"])
    key: str = Field(..., description="The key itself, shown this once: store it now. "
                                      "Send it as `X-API-Key: ak_...` (or `Authorization: Bearer ak_...`).")
    created_at: datetime


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreatedOut,
             responses=PROBLEM_RESPONSES(401, 403, 422))
async def create_api_key(body: ApiKeyIn, container: ContainerDep, user: SessionPrincipalDep) -> ApiKeyCreatedOut:
    """Create an API key. The response holds the key, shown only this once. Needs an access token
    (a login): an API key cannot create other keys."""
    with as_principal():
        new = await run_in_threadpool(container.api_keys().create, user.id, body.name)
    key = new.api_key
    return ApiKeyCreatedOut(id=key.id, name=key.name, prefix=key.prefix, key=new.key, created_at=key.created_at)


@router.get("", response_model=list[ApiKeyOut], responses=PROBLEM_RESPONSES(401, 403))
def list_api_keys(container: ContainerDep, user: PrincipalDep) -> list[ApiKeyOut]:
    """Your API keys, newest first, revoked ones included (never the keys themselves)."""
    with as_principal():
        return [ApiKeyOut.of(key) for key in container.api_keys().list(user.id)]


@router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               responses=PROBLEM_RESPONSES(401, 403, 404, 422))
def revoke_api_key(key_id: uuid.UUID, container: ContainerDep, user: PrincipalDep) -> Response:
    """Revoke one of your API keys: requests with it get 401 from now on (revoking twice is fine)."""
    with as_principal():
        container.api_keys().revoke(user.id, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
