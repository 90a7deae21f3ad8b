"""A user's documents, newest first, with a cursor for the next page."""

from __future__ import annotations

import uuid
from datetime import datetime

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from domain.documents import Document, DocumentKind, DocumentStatus

MAX_PAGE = 200


@attrs.frozen(kw_only=True)
class ListDocumentsQuery:
    user_id: uuid.UUID
    status: DocumentStatus | None = None
    kind: DocumentKind | None = None
    limit: int = 50
    before: tuple[datetime, uuid.UUID] | None = None


@attrs.frozen(kw_only=True)
class DocumentPage:
    documents: list[Document]
    next_before: tuple[datetime, uuid.UUID] | None


@attrs.define
class ListDocuments:
    uow: UnitOfWork

    def __call__(self, query: ListDocumentsQuery) -> DocumentPage:
        limit = max(1, min(query.limit, MAX_PAGE))
        with self.uow as uow:
            user = active_user(uow, query.user_id)
            found = uow.documents.list_for_owner(user.id, status=query.status, kind=query.kind,
                                                 limit=limit + 1, before=query.before)
        page = found[:limit]
        more = len(found) > limit
        return DocumentPage(documents=page, next_before=(page[-1].created_at, page[-1].id) if more else None)
