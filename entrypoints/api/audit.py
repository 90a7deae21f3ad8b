"""The audit log for administrators: GET /api/v1/admin/audit, newest first, filtered, cursor pages.

The cursor is the keyset position of the page's last entry (its time and id), packed like the
documents' and threads' cursors (entrypoints.api.cursors)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import AwareDatetime, BaseModel, Field

from application.use_cases.audit_trail import MAX_PAGE
from domain.analytics import AuditEntry, AuditFilter
from entrypoints.api.cursors import DocumentCursor, document_cursor, document_position
from entrypoints.api.dependencies import ContainerDep, PrincipalDep, as_principal
from entrypoints.api.request_body import NO_CONTROL_PATTERN
from entrypoints.api.schemas import PROBLEM_RESPONSES, example
from entrypoints.api.threads import run_fast

router = APIRouter(prefix="/api/v1/admin", tags=["administration"])
ERRORS = PROBLEM_RESPONSES(401, 403, 422)
EXAMPLE = {"id": "5b0f2f7e-8f43-4d53-9d0e-2f6c0c1b7a11", "actor_id": "0d3c8a55-7c1e-4b7a-a0a7-b9b1a4c2f9d0",
           "action": "document_deleted", "target": "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
           "data": {"filename": "report.pdf"}, "created_at": "2026-12-03T14:07:19Z",
           "client_address": "203.0.113.7", "request_id": "b1946ac92492d234"}


class AuditEntryOut(BaseModel):
    id: uuid.UUID
    actor_id: uuid.UUID | None = Field(..., description="Who did it; null for a failed sign-in or the system.")
    action: str = Field(..., examples=["sign_in_failed"])
    target: str = Field(..., description="What it was done to: an id, an email, a scope.")
    data: dict[str, Any]
    created_at: datetime
    client_address: str | None = Field(..., description="The client's address; null outside a request.")
    request_id: str | None = Field(..., description="The request's X-Request-ID; null outside a request.")

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(id=entry.id, actor_id=entry.actor_id, action=entry.action, target=entry.target, data=entry.data,
                   created_at=entry.created_at, client_address=entry.client_address, request_id=entry.request_id)


class AuditList(BaseModel):
    model_config = example({"items": [EXAMPLE], "next_cursor": None})

    items: list[AuditEntryOut]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= to get the next page.")


Text = Annotated[str | None, Query(min_length=1, max_length=320, pattern=NO_CONTROL_PATTERN)]


@router.get("/audit", response_model=AuditList, responses=ERRORS)
async def audit_log(request: Request, container: ContainerDep, user: PrincipalDep,
                    actor: Annotated[uuid.UUID | None, Query(description="Only this actor's entries.")] = None,
                    action: Text = None, target: Text = None,
                    since: Annotated[AwareDatetime | None, Query(description="From this time (inclusive).")] = None,
                    until: Annotated[AwareDatetime | None, Query(description="Before this time.")] = None,
                    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
                    cursor: DocumentCursor = None) -> AuditList:
    """The audit log, newest first (administrators only): sign-ins and failed attempts, token
    refreshes and logouts, API keys created and revoked, tier and status changes, documents deleted
    and cleared, exports, global analytics reads and retention runs, each with its actor, target,
    time, client address and request id."""
    where = AuditFilter(actor_id=actor, action=action, target=target, since=since, until=until)
    with as_principal():
        page = await run_fast(request, container.audit_trail(), user.id, where, after=document_position(cursor),
                              limit=limit)
    return AuditList(items=[AuditEntryOut.of(e) for e in page.entries],
                     next_cursor=document_cursor(*page.next_position) if page.next_position else None)
