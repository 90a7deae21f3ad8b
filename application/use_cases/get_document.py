"""One of the user's documents, with its status, progress and error; its chunks a page at a time."""

from __future__ import annotations

import uuid

import attrs

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, owned_document
from domain.chunks import Chunk
from domain.documents import Document

MAX_CHUNK_PAGE = 1000
CHUNK_PAGE_BYTES = 4 * 1024 * 1024  # of chunk text per page (a page holds at least one chunk, however large)


@attrs.frozen(kw_only=True)
class ChunkPage:
    chunks: list[Chunk]
    next_after: int | None  # the last ordinal of the page when more chunks follow it


@attrs.define
class GetDocument:
    uow: UnitOfWork
    page_bytes: int = CHUNK_PAGE_BYTES

    def __call__(self, user_id: uuid.UUID, document_id: uuid.UUID) -> Document:
        with self.uow as uow:
            return owned_document(uow, active_user(uow, user_id), document_id)

    def chunk_page(self, user_id: uuid.UUID, document_id: uuid.UUID, *, after: int | None = None,
                   limit: int = 100) -> ChunkPage:
        """The chunks after ordinal ``after``: at most ``limit`` (1..1000) and ``page_bytes`` of text,
        read from the database one page at a time."""
        limit = max(1, min(limit, MAX_CHUNK_PAGE))
        with self.uow as uow:
            document = owned_document(uow, active_user(uow, user_id), document_id)
            chunks, more = uow.chunks.page_for_document(document.id, after=after, limit=limit, max_bytes=self.page_bytes)
        return ChunkPage(chunks=chunks, next_after=chunks[-1].ordinal if more and chunks else None)
