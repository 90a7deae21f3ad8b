"""The Ask page: choose one document, several or the whole library, ask, read the answer as it
streams in, follow up in the same thread.

The server renders the choice of documents (ListDocuments, the same use case as
GET /api/v1/documents: only processed ones can be chosen) and, for ``/ask?thread=<id>``, the
thread's earlier turns (Threads.get: another user's thread is the 404 page). Asking is the
script's part (static/js/ask.js): it starts the thread (POST /api/v1/threads) and streams each
answer from POST /api/v1/threads/{id}/messages with the session cookie."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from application.use_cases.list_documents import ListDocumentsQuery
from domain.documents import Document
from entrypoints.api.schemas import AnswerOut
from entrypoints.api.threads import run_fast
from entrypoints.web.pages import render
from entrypoints.web.visitors import Visitor, container_of, page_language, signed_in

router = APIRouter(include_in_schema=False)
SignedIn = Annotated[Visitor, Depends(signed_in)]
MAX_LISTED = 1000  # documents offered for choosing (pages of 200 read until then)


async def library_of(request: Request, user_id: uuid.UUID) -> list[Document]:
    """The user's documents, newest first (the first MAX_LISTED), read as the Library reads them."""
    use_case = container_of(request).list_documents()
    documents: list[Document] = []
    before = None
    while len(documents) < MAX_LISTED:
        query = ListDocumentsQuery(user_id=user_id, limit=200, before=before)
        page = await use_case.page_async(query, request.app.state.async_store)
        documents += page.documents
        if page.next_before is None:
            break
        before = page.next_before
    return documents[:MAX_LISTED]


@router.get("/ask")
async def ask_page(request: Request, visitor: SignedIn, thread: Annotated[uuid.UUID | None, Query()] = None,
                   document: Annotated[list[uuid.UUID] | None, Query()] = None) -> Response:
    """``?thread=`` continues a thread; ``?document=`` (repeatable) preselects documents."""
    container = container_of(request)
    view = await run_fast(request, container.threads().get, visitor.user.id, thread) if thread else None
    documents = await library_of(request, visitor.user.id)
    names = {str(d.id): d.filename for d in documents}
    chosen = {str(d) for d in document or ()}
    data: dict[str, Any] = {"documents": names, "thread": None, "turns": []}
    if view is not None:
        data["thread"] = {"id": str(view.thread.id), "scope": view.thread.scope.value}
        data["turns"] = [AnswerOut.of(turn, page_language(request, visitor)).model_dump(mode="json") for turn in view.turns]
    return render(request, "ask.html", visitor=visitor, title_key="ask_title", data=data,
                  documents=documents, chosen=chosen,
                  thread=view.thread if view else None, names=names)
