"""Documents: a user's list newest first with a (created_at, id) cursor, and the recovery sweep."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Integer, RowMapping, and_, bindparam, func, or_, select

from adapters.persistence.repositories import document_counts
from adapters.persistence.repositories.base import SqlAlchemyRepository, row_values
from adapters.persistence.tables import document_texts, documents
from domain.documents import Document, DocumentKind, DocumentStatus

_NEWEST_FIRST = (documents.c.created_at.desc(), documents.c.id.desc())
_UPDATE_IF_STATUS = documents.update().where(documents.c.id == bindparam("b_id"),
                                             documents.c.status == bindparam("b_expected"))
# the extracted text (megabytes for a long document) is in document_texts, read on its own by extracted_text()
READ_COLUMNS = list(documents.c)
# built once (see repositories.users): the per-request reads
_BY_ID = select(*READ_COLUMNS).where(documents.c.id == bindparam("document_id"))
_TEXT = select(document_texts.c.text).where(document_texts.c.document_id == bindparam("document_id"))
_FIRST_PAGE = (select(*READ_COLUMNS).where(documents.c.owner_id == bindparam("owner_id")).order_by(*_NEWEST_FIRST)
               .limit(bindparam("limit", type_=Integer)))


class SqlAlchemyDocumentRepository(SqlAlchemyRepository):
    def add(self, document: Document) -> None:
        self._conn.execute(documents.insert().values(**row_values(document, exclude=("extracted_text",))))
        self._store_text(document)

    def update(self, document: Document) -> None:
        values = _values(document)
        self._conn.execute(documents.update().where(documents.c.id == document.id).values(**values))
        self._store_text(document)

    def update_if_status(self, document: Document, expected: DocumentStatus) -> bool:
        """One conditional UPDATE: a concurrent one waits for the row lock, then sees the new status.
        A prepared statement with the values as parameters (no statement built per call)."""
        values = _values(document)
        result = self._conn.execute(_UPDATE_IF_STATUS, values | {"b_id": document.id, "b_expected": expected.value})
        if result.rowcount != 1:
            return False
        self._store_text(document)
        return True

    def _store_text(self, document: Document) -> None:
        """The document's text replaced when it carries one (reads leave it None: kept as stored)."""
        if document.extracted_text is None:
            return
        self._conn.execute(document_texts.delete().where(document_texts.c.document_id == document.id))
        self._conn.execute(document_texts.insert().values(document_id=document.id, text=document.extracted_text))

    def get(self, document_id: uuid.UUID) -> Document | None:
        row = self._conn.execute(_BY_ID, {"document_id": document_id}).mappings().one_or_none()
        return document_from_row(row) if row is not None else None

    def extracted_text(self, document_id: uuid.UUID) -> str | None:
        return self._conn.execute(_TEXT, {"document_id": document_id}).scalar_one_or_none()

    def get_by_sha256(self, owner_id: uuid.UUID, sha256: str) -> Document | None:
        """The newest of the owner's documents with these bytes."""
        query = (select(*READ_COLUMNS).where(documents.c.owner_id == owner_id, documents.c.sha256 == sha256)
                 .order_by(*_NEWEST_FIRST).limit(1))
        row = self._conn.execute(query).mappings().one_or_none()
        return document_from_row(row) if row is not None else None

    def list_for_owner(
        self,
        owner_id: uuid.UUID,
        *,
        status: DocumentStatus | None = None,
        kind: DocumentKind | None = None,
        limit: int = 50,
        before: tuple[datetime, uuid.UUID] | None = None,
        filename_contains: str | None = None,
    ) -> list[Document]:
        """Newest first; ``before`` is the (created_at, id) of the last document of the previous page.
        The filename search folds case on both sides: PostgreSQL's lower(), and on SQLite (whose
        lower() knows ASCII only) the ``casefold`` function adapters.persistence.engine registers."""
        if status is None and kind is None and before is None and not filename_contains:
            page = self._conn.execute(_FIRST_PAGE, {"owner_id": owner_id, "limit": limit}).mappings()
            return [document_from_row(row) for row in page]
        query = select(*READ_COLUMNS).where(documents.c.owner_id == owner_id)
        if status is not None:
            query = query.where(documents.c.status == status.value)
        if kind is not None:
            query = query.where(documents.c.kind == kind.value)
        if filename_contains:
            fold = func.casefold if self._conn.dialect.name == "sqlite" else func.lower
            needle = filename_contains.casefold() if self._conn.dialect.name == "sqlite" else filename_contains.lower()
            query = query.where(fold(documents.c.filename).contains(needle, autoescape=True))
        if before is not None:
            created_at, document_id = before
            query = query.where(or_(documents.c.created_at < created_at,
                                    and_(documents.c.created_at == created_at, documents.c.id < document_id)))
        query = query.order_by(*_NEWEST_FIRST).limit(limit)
        return [document_from_row(row) for row in self._conn.execute(query).mappings()]

    def count_for_owner(self, owner_id: uuid.UUID, *, include_failed: bool = True) -> int:
        query = select(func.count()).select_from(documents).where(documents.c.owner_id == owner_id)
        if not include_failed:
            query = query.where(documents.c.status != DocumentStatus.FAILED.value)
        return int(self._conn.execute(query).scalar_one())

    def counts_by_kind_and_status(
        self, owner_id: uuid.UUID | None
    ) -> dict[tuple[DocumentKind, DocumentStatus], int]:
        """One GROUP BY kind, status over the owner's documents; ``owner_id`` None: everyone's, from the
        totals the database keeps (document_counts), not a scan of every document."""
        if owner_id is None:
            return document_counts.counts(self._conn)
        query = (select(documents.c.kind, documents.c.status, func.count()).where(documents.c.owner_id == owner_id)
                 .group_by(documents.c.kind, documents.c.status))
        return {(DocumentKind(kind), DocumentStatus(status)): int(n) for kind, status, n in self._conn.execute(query)}

    def list_by_status(self, statuses: Sequence[DocumentStatus], *, updated_before: datetime) -> list[Document]:
        """Documents in one of ``statuses`` untouched since ``updated_before``, oldest update first."""
        query = (select(*READ_COLUMNS)
                 .where(documents.c.status.in_([s.value for s in statuses]), documents.c.updated_at < updated_before)
                 .order_by(documents.c.updated_at, documents.c.id))
        return [document_from_row(row) for row in self._conn.execute(query).mappings()]

    def delete(self, document_id: uuid.UUID) -> None:
        """The schema cascades: chunks and conversations go, users' active_document_id becomes NULL."""
        self._conn.execute(documents.delete().where(documents.c.id == document_id))


def _values(document: Document) -> dict:
    """Column values for an update (the text goes to document_texts). Never the owner: it changes only
    through AccountMerge, and a worker finishing a document read before its account was merged must
    not give it back to the old (deleted) owner."""
    return row_values(document, exclude=("id", "extracted_text", "owner_id"))


def document_from_row(row: RowMapping) -> Document:
    values = dict(row)
    return Document(**values | {"kind": DocumentKind(values["kind"]), "status": DocumentStatus(values["status"])})
