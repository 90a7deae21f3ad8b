"""A user's documents, newest first, with a cursor for the next page."""

from __future__ import annotations

import uuid
from datetime import datetime

import attrs

from application.ports.document_pages import DocumentPages
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, checked_active
from domain.documents import Document, DocumentKind, DocumentStatus

MAX_PAGE = 200
MAX_SEARCH = 255


@attrs.frozen(kw_only=True)
class ListDocumentsQuery:
    user_id: uuid.UUID
    status: DocumentStatus | None = None
    kind: DocumentKind | None = None
    limit: int = 50
    before: tuple[datetime, uuid.UUID] | None = None
    filename_contains: str | None = None  # a search by filename (case-insensitive); blank: no search


@attrs.frozen(kw_only=True)
class DocumentPage:
    documents: list[Document]
    next_before: tuple[datetime, uuid.UUID] | None


@attrs.define
class ListDocuments:
    uow: UnitOfWork

    def __call__(self, query: ListDocumentsQuery) -> DocumentPage:
        limit = _limit(query)
        with self.uow as uow:
            user = active_user(uow, query.user_id)
            found = uow.documents.list_for_owner(user.id, status=query.status, kind=query.kind,
                                                 limit=limit + 1, before=query.before,
                                                 filename_contains=_search(query))
        return _page(found, limit)

    async def page_async(self, query: ListDocumentsQuery, pages: DocumentPages) -> DocumentPage:
        """The same page for a shell on an event loop: the user and the documents in one awaited read."""
        limit = _limit(query)
        user, found = await pages.owner_and_page(query.user_id, status=query.status, kind=query.kind,
                                                 limit=limit + 1, before=query.before,
                                                 filename_contains=_search(query))
        checked_active(user)
        return _page(found, limit)


def _search(query: ListDocumentsQuery) -> str | None:
    """The filename search, trimmed and capped (a filename is at most 255 characters); None when blank."""
    text = (query.filename_contains or "").strip()[:MAX_SEARCH]
    return text or None


def _limit(query: ListDocumentsQuery) -> int:
    return max(1, min(query.limit, MAX_PAGE))


def _page(found: list[Document], limit: int) -> DocumentPage:
    """``found`` holds one more document than the page when there is a next page."""
    page = found[:limit]
    more = len(found) > limit
    return DocumentPage(documents=page, next_before=(page[-1].created_at, page[-1].id) if more else None)
