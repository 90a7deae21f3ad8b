"""A document's original file, and its pages as images, for the citation viewer.

Both read the stored file (a protected upload's password was removed before it was stored). The
version tag of a page image lets a shell answer a conditional request without rendering: it
changes with the stored file, the page and the width."""

from __future__ import annotations

import uuid

import attrs

from application.ports.originals import MAX_IMAGE_WIDTH, MIN_IMAGE_WIDTH, OriginalReader
from application.ports.storage import FileStorage
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, owned_document
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.errors import DocumentNotReady, InvalidInput, PageNotFound
from domain.media_types import media_type

_PAGED = frozenset({DocumentKind.PDF, DocumentKind.IMAGE})


@attrs.frozen(kw_only=True)
class Original:
    data: bytes = attrs.field(repr=False)
    media_type: str
    filename: str
    sha256: str  # of the upload: a stable validator of the file


@attrs.define
class OriginalFile:
    uow: UnitOfWork
    storage: FileStorage

    def __call__(self, user_id: uuid.UUID, document_id: uuid.UUID) -> Original:
        """DocumentNotFound for another user's document (whatever its status)."""
        with self.uow as uow:
            document = owned_document(uow, active_user(uow, user_id), document_id)
        data = self.storage.get(document.storage_key)
        return Original(data=data, media_type=media_type(document.kind, data[:16]), filename=document.filename,
                        sha256=document.sha256)


@attrs.define
class PageImage:
    uow: UnitOfWork
    storage: FileStorage
    reader: OriginalReader

    def tag(self, user_id: uuid.UUID, document_id: uuid.UUID, page: int, width: int) -> str:
        """The image's version tag, after the same checks as the image itself."""
        document = self._page_of(user_id, document_id, page, width)
        return f"{document.sha256[:32]}-{page}-{width}"

    def __call__(self, user_id: uuid.UUID, document_id: uuid.UUID, page: int, width: int) -> bytes:
        """The page as a PNG; InvalidInput for a document without pages or a width out of bounds,
        PageNotFound past its last page, DocumentNotReady before it is processed."""
        document = self._page_of(user_id, document_id, page, width)
        data = self.storage.get(document.storage_key)
        return self.reader.page_image(data, kind=document.kind, page=page, width=width)

    def _page_of(self, user_id: uuid.UUID, document_id: uuid.UUID, page: int, width: int) -> Document:
        if not MIN_IMAGE_WIDTH <= width <= MAX_IMAGE_WIDTH:
            raise InvalidInput(f"width must be {MIN_IMAGE_WIDTH} to {MAX_IMAGE_WIDTH} pixels.",
                               minimum=MIN_IMAGE_WIDTH, maximum=MAX_IMAGE_WIDTH)
        with self.uow as uow:
            document = owned_document(uow, active_user(uow, user_id), document_id)
        if document.kind not in _PAGED:
            raise InvalidInput(f"Only PDF and image documents have page images; this one is {document.kind.value}.",
                               kind=document.kind.value)
        if document.status is not DocumentStatus.COMPLETED or document.page_count is None:
            raise DocumentNotReady("The document's pages can be shown once it is processed.",
                                   document_id=str(document.id), document_status=document.status.value)
        if not 1 <= page <= document.page_count:
            raise PageNotFound(f"The document has {document.page_count} page(s); there is no page {page}.",
                               page=page, page_count=document.page_count)
        return document
