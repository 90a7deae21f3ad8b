"""The History pages: the user's threads (Threads.list, the same use case and cursor as
GET /api/v1/threads), one thread with its turns and their citations (Threads.get: another
user's thread is the 404 page), and the download of the whole history for a range of days.

The list's first page is rendered here; "More" is a link to the next page that the script
(static/js/history.js) turns into an in-place load from the API, where rename and delete go too.
Export buttons are links to the API's export routes, which answer with an attachment."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from domain.threads import Thread, ThreadScope
from entrypoints.api.cursors import DocumentCursor, document_cursor, document_position
from entrypoints.api.export_files import ExportFormat
from entrypoints.api.threads import run_fast
from entrypoints.web.answer_parts import answer_parts
from entrypoints.web.ask_page import library_of
from entrypoints.web.pages import render
from entrypoints.web.visitors import Visitor, container_of, signed_in

router = APIRouter(include_in_schema=False)
SignedIn = Annotated[Visitor, Depends(signed_in)]
PAGE_SIZE = 20
FORMATS = ("md", "docx", "pdf", "json")  # what the export routes make (entrypoints.api.export_files)
Day = Annotated[str, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")]  # a date field, maybe left empty


@router.get("/history")
async def history_page(request: Request, visitor: SignedIn, cursor: DocumentCursor = None) -> Response:
    page = await run_fast(request, container_of(request).threads().list, visitor.user.id, limit=PAGE_SIZE,
                          before=document_position(cursor))
    return render(request, "history.html", visitor=visitor, title_key="history_title",
                  data={"page_size": PAGE_SIZE}, threads=page.threads, turns=page.turns, formats=FORMATS,
                  next_cursor=document_cursor(*page.next_before) if page.next_before else None,
                  first_page=cursor is None, template_thread=_placeholder(visitor))


def _placeholder(visitor: Visitor) -> Thread:
    """The thread the row <template> is rendered with (the script fills in each real one)."""
    return Thread(id=uuid.UUID(int=0), user_id=visitor.user.id, scope=ThreadScope.LIBRARY,
                  created_at=visitor.user.created_at, updated_at=visitor.user.created_at)


@router.get("/history/export")
async def export_history(visitor: SignedIn, format: ExportFormat = "md", since: Day = "",
                         until: Day = "") -> Response:
    """The form's choices, as the API's history export: an empty date field means an open end
    (the API reads a present but empty ``since`` as a malformed date)."""
    query = {"format": format, **({"since": since} if since else {}), **({"until": until} if until else {})}
    return RedirectResponse(f"/api/v1/threads/history/export?{urlencode(query)}", status_code=303)


@router.get("/history/{thread_id}")
async def thread_page(request: Request, visitor: SignedIn, thread_id: uuid.UUID) -> Response:
    container = container_of(request)
    view = await run_fast(request, container.threads().get, visitor.user.id, thread_id)
    names = {d.id: d.filename for d in await library_of(request, visitor.user.id)}
    turns = [(turn, answer_parts(turn.answer, {c.number for c in turn.citations})) for turn in view.turns]
    return render(request, "thread.html", visitor=visitor, title_key="history_title", thread=view.thread,
                  turns=turns, names=names, formats=FORMATS)
