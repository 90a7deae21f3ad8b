"""The Library: the user's documents (the same ListDocuments use case and async read as GET
/api/v1/documents), filtered by kind and status and searched by filename through query parameters;
documents used / allowed (GetUsage, as GET /api/v1/usage); a document's page; delete with a
confirmation (a page of its own without scripts, a dialog with them).

Uploading and the live status are scripts (static/js/library.js) calling the JSON API with the
session cookie and the CSRF header, and listening to /api/v1/events."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any
from urllib.parse import urlencode

import attrs
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from application.use_cases.list_documents import MAX_SEARCH, ListDocumentsQuery
from domain.documents import Document, DocumentKind, DocumentStatus
from entrypoints.api.cursors import document_cursor, document_position
from entrypoints.api.threads import run_fast
from entrypoints.web.i18n import Translator
from entrypoints.web.pages import human_size, render
from entrypoints.web.visitors import Visitor, container_of, form_of, page_language, signed_in

router = APIRouter(include_in_schema=False)
SignedIn = Annotated[Visitor, Depends(signed_in)]
PAGE_SIZE = 50
CURSOR = re.compile(r"[A-Za-z0-9_-]{32}")  # a document cursor (entrypoints.api.cursors: DocumentCursor)


@attrs.frozen(kw_only=True)
class Filters:
    """The Library's query parameters; a value that is not one of ours is ignored, not an error."""

    kind: DocumentKind | None = None
    status: DocumentStatus | None = None
    search: str = ""
    cursor: str | None = None

    @classmethod
    def of(cls, request: Request) -> Filters:
        query = request.query_params
        cursor = query.get("before") or None
        if cursor is not None and not CURSOR.fullmatch(cursor):
            cursor = None
        return cls(kind=_member(DocumentKind, query.get("kind")), status=_member(DocumentStatus, query.get("status")),
                   search=(query.get("q") or "").strip()[:MAX_SEARCH], cursor=cursor)

    @property
    def active(self) -> bool:
        return bool(self.kind or self.status or self.search)

    def query_string(self, **changes: Any) -> str:
        values = {"kind": self.kind.value if self.kind else "", "status": self.status.value if self.status else "",
                  "q": self.search, **changes}
        return urlencode({k: v for k, v in values.items() if v})


def _member(enum: type[DocumentKind] | type[DocumentStatus], value: str | None) -> Any:
    try:
        return enum(value) if value else None
    except ValueError:
        return None


def document_view(document: Document, t: Translator) -> dict[str, Any]:
    """What a row shows (the same fields the scripts fill for a new row)."""
    return {"id": str(document.id), "filename": document.filename, "kind": document.kind.value,
            "kind_label": t(f"kind_{document.kind.value}"), "status": document.status.value, "answerable": document.answerable,
            "status_label": t(f"status_{document.status.value}"), "size": human_size(document.size, t),
            "created_iso": document.created_at.isoformat(), "created": document.created_at.strftime("%Y-%m-%d %H:%M"),
            "progress_done": document.progress_done, "progress_total": document.progress_total,
            "error_code": document.error_code, "error_message": document.error_message,
            "what_to_do": t.what_to_do(document.error_code) if document.status is DocumentStatus.FAILED else "",
            "page_count": document.page_count}


@router.get("/")
async def library(request: Request, visitor: SignedIn) -> Response:
    container = container_of(request)
    filters = Filters.of(request)
    t = Translator(page_language(request, visitor))
    query = ListDocumentsQuery(user_id=visitor.user.id, kind=filters.kind, status=filters.status, limit=PAGE_SIZE,
                               before=document_position(filters.cursor), filename_contains=filters.search or None)
    page = await container.list_documents().page_async(query, request.app.state.async_store)
    usage = await run_fast(request, container.get_usage(), visitor.user.id)
    more = filters.query_string(before=document_cursor(*page.next_before)) if page.next_before else None
    rows = [document_view(d, t) for d in page.documents]
    data = {"uploadUrl": "/api/v1/documents", "eventsUrl": "/api/v1/events", "usageUrl": "/api/v1/usage",
            "maxFileBytes": usage.max_file_bytes, "maxFileSize": human_size(usage.max_file_bytes, t)}
    return render(request, "library.html", visitor=visitor, title_key="library_title", data=data, filters=filters,
                  documents=rows, more=more, usage=usage, kinds=list(DocumentKind), statuses=list(DocumentStatus),
                  blank=_blank_row())


def _blank_row() -> dict[str, Any]:
    """The row the scripts copy for a document uploaded on this page (fields filled as text)."""
    return {"id": "", "filename": "", "kind": "", "kind_label": "", "status": "pending", "answerable": False, "status_label": "",
            "size": "", "created_iso": "", "created": "", "progress_done": 0, "progress_total": 0,
            "error_code": None, "error_message": None, "what_to_do": "", "page_count": None}


@router.get("/documents/{document_id}")
async def document_page(request: Request, document_id: uuid.UUID, visitor: SignedIn) -> Response:
    """One document (404 page for another user's, as for an unknown one)."""
    document = await run_fast(request, container_of(request).get_document(), visitor.user.id, document_id)
    t = Translator(page_language(request, visitor))
    return render(request, "document.html", visitor=visitor, title_key="document_title",
                  document=document_view(document, t), notes=document.notes)


@router.get("/documents/{document_id}/delete")
async def confirm_delete(request: Request, document_id: uuid.UUID, visitor: SignedIn) -> Response:
    """The confirmation without scripts (with them, a dialog on the Library asks the same)."""
    document = await run_fast(request, container_of(request).get_document(), visitor.user.id, document_id)
    return render(request, "delete.html", visitor=visitor, title_key="delete_title",
                  document={"id": str(document.id), "filename": document.filename})


@router.post("/documents/{document_id}/delete")
async def delete(request: Request, document_id: uuid.UUID, visitor: SignedIn) -> Response:
    """Delete (as DELETE /api/v1/documents/{id}), then back to the Library."""
    await form_of(request, visitor)
    await run_in_threadpool(container_of(request).delete_document(), visitor.user.id, document_id)
    return RedirectResponse("/?deleted=1", status_code=303)
