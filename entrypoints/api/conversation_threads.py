"""Thread routes: start a thread over documents or the library, ask in it (JSON or Server-Sent
Events, as the single questions), list threads, read one with its turns, rename, delete."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from typing import Any
from pydantic import BaseModel, Field

from domain.threads import Thread
from entrypoints.api.cursors import DocumentCursor, document_cursor, document_position
from entrypoints.api.dependencies import ContainerDep, PrincipalDep, as_principal
from entrypoints.api.languages import LabelLanguageDep
from entrypoints.api.export_files import EXPORT_RESPONSES, HISTORY_RESPONSES, ExportFormat, Since, Until, download
from entrypoints.api.questions import ANSWER_RESPONSES, AcceptHeader, StreamFlag, answer, streamed
from entrypoints.api.request_body import RequestBody
from entrypoints.api.schemas import EXAMPLE_ANSWER, EXAMPLE_TIME, PROBLEM_RESPONSES, AnswerOut, QueryIn, example
from entrypoints.api.threads import run_fast

router = APIRouter(prefix="/api/v1/threads", tags=["threads"])
ERRORS = PROBLEM_RESPONSES(401, 403, 404, 422)
EXAMPLE_THREAD = {"id": "5b2f0c9e-3d4a-4f1b-9c8e-7a6d5e4f3a2b", "scope": "document",
                  "document_ids": ["7d1c2b3a-0f0e-4c55-9a3e-2f4b5c6d7e8f"], "title": "When are invoices due?",
                  "created_at": EXAMPLE_TIME, "updated_at": EXAMPLE_TIME}


class ThreadIn(RequestBody):
    model_config = example({"document_ids": ["7d1c2b3a-0f0e-4c55-9a3e-2f4b5c6d7e8f"]})

    document_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50,
                                          description="The documents the thread is about; none: the whole library.")
    whole_library: bool = Field(False, strict=True, description="The thread is about every processed document "
                                "(document_ids are then left aside; also what an empty document_ids means).")
    title: str = Field("", max_length=200, description="Default: the first question.")


class TitleIn(RequestBody):
    model_config = example({"title": "Supplier terms"})

    title: str = Field(..., min_length=1, max_length=200)


class ThreadOut(BaseModel):
    model_config = example(EXAMPLE_THREAD)

    id: uuid.UUID
    scope: str = Field(..., description="document, documents or library")
    document_ids: list[uuid.UUID]
    title: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, thread: Thread) -> ThreadOut:
        return cls(id=thread.id, scope=thread.scope.value, document_ids=list(thread.document_ids), title=thread.title,
                   created_at=thread.created_at, updated_at=thread.updated_at)


class ThreadList(BaseModel):
    model_config = example({"items": [EXAMPLE_THREAD], "next_cursor": None})

    items: list[ThreadOut]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= to get the next page.")


class ThreadDetail(ThreadOut):
    model_config = example({**EXAMPLE_THREAD, "turns": [EXAMPLE_ANSWER]})

    turns: list[AnswerOut] = Field(..., description="Questions and answers, oldest first (the newest 500).")


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ThreadOut, responses=ERRORS)
async def create_thread(request: Request, body: ThreadIn, container: ContainerDep, user: PrincipalDep) -> ThreadOut:
    """Start a thread over some of your documents or over the whole library."""
    with as_principal():
        library = body.whole_library or not body.document_ids
        thread = await run_fast(request, container.threads().create, user.id,
                                document_ids=() if library else tuple(body.document_ids), whole_library=library,
                                title=body.title)
    return ThreadOut.of(thread)


@router.post("/{thread_id}/messages", response_model=AnswerOut, responses=ANSWER_RESPONSES)
async def ask_in_thread(request: Request, response: Response, thread_id: uuid.UUID, body: QueryIn,
                        container: ContainerDep, user: PrincipalDep, language: LabelLanguageDep,
                        stream: StreamFlag = False, accept: AcceptHeader = None) -> Any:
    """Ask the thread's next question: a follow-up ("and in Riga?", "how does that compare with a
    year earlier?") is understood from the turns before it. 409 `thread_documents_gone` when a
    document of the thread was deleted."""
    with as_principal():
        command = await run_fast(request, container.thread_questions().command, user.id, thread_id, body.question)
    return await answer(command, container, request, response, streamed(stream, accept), language)


@router.get("", response_model=ThreadList, responses=ERRORS)
async def list_threads(request: Request, container: ContainerDep, user: PrincipalDep,
                       limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: DocumentCursor = None) -> ThreadList:
    """Your threads, most recently active first."""
    with as_principal():
        page = await run_fast(request, container.threads().list, user.id, limit=limit,
                              before=document_position(cursor))
    return ThreadList(items=[ThreadOut.of(t) for t in page.threads],
                      next_cursor=document_cursor(*page.next_before) if page.next_before else None)


@router.get("/history/export", response_class=Response, responses=HISTORY_RESPONSES)
async def export_history(container: ContainerDep, user: PrincipalDep, format: ExportFormat = "md",
                         since: Since = None, until: Until = None) -> Response:
    """Every thread with questions asked from `since` to `until` (UTC days, both included), each with
    those questions, as one file: Markdown, DOCX, PDF or JSON, citations as numbered footnotes."""
    with as_principal():
        file = await run_in_threadpool(container.export_threads().history, user.id, since=since, until=until,
                                       format=format)
    return download(file)


@router.get("/{thread_id}/export", response_class=Response, responses=EXPORT_RESPONSES)
async def export_thread(thread_id: uuid.UUID, container: ContainerDep, user: PrincipalDep,
                        format: ExportFormat = "md") -> Response:
    """The thread as a file: Markdown, DOCX, PDF or JSON, each answer's citations as numbered footnotes
    with their locator and quoted passage. Another user's thread is a 404."""
    with as_principal():
        file = await run_in_threadpool(container.export_threads().thread, user.id, thread_id, format)
    return download(file)


@router.get("/{thread_id}", response_model=ThreadDetail, responses=ERRORS)
async def get_thread(request: Request, thread_id: uuid.UUID, container: ContainerDep,
                     user: PrincipalDep, language: LabelLanguageDep) -> ThreadDetail:
    """The thread and its turns with their citations. Another user's thread is a 404."""
    with as_principal():
        view = await run_fast(request, container.threads().get, user.id, thread_id)
    return ThreadDetail(**ThreadOut.of(view.thread).model_dump(), turns=[AnswerOut.of(c, language) for c in view.turns])


@router.patch("/{thread_id}", response_model=ThreadOut, responses=ERRORS)
async def rename_thread(request: Request, thread_id: uuid.UUID, body: TitleIn, container: ContainerDep,
                        user: PrincipalDep) -> ThreadOut:
    """Rename the thread."""
    with as_principal():
        return ThreadOut.of(await run_fast(request, container.threads().rename, user.id, thread_id, body.title))


@router.delete("/{thread_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=ERRORS)
async def delete_thread(request: Request, thread_id: uuid.UUID, container: ContainerDep,
                        user: PrincipalDep) -> Response:
    """Delete the thread and its turns."""
    with as_principal():
        await run_fast(request, container.threads().delete, user.id, thread_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
