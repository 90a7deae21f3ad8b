"""A document's chunks, replaced as a whole when it is (re)processed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, LargeBinary, RowMapping, and_, bindparam, cast, func, select, tuple_

from adapters.persistence.repositories.base import SqlAlchemyRepository
from adapters.persistence.tables import chunks as chunk_table
from domain.chunks import Chunk
from domain.locators import Locator


_OF_DOCUMENT = (select(chunk_table).where(chunk_table.c.document_id == bindparam("document_id"))
                .order_by(chunk_table.c.ordinal))  # built once (see repositories.users)
_KEYS = func.json_each(bindparam("keys")).table_valued("value")
# one statement whatever the keys (compiled once): the Uuid type's storage on SQLite is 32 hex digits
_MANY_SQLITE = select(chunk_table).join(_KEYS, and_(chunk_table.c.document_id == func.json_extract(_KEYS.c.value, "$[0]"),
                                                    chunk_table.c.ordinal == func.json_extract(_KEYS.c.value, "$[1]")))
_OF_DOCUMENTS = (select(chunk_table).where(chunk_table.c.document_id.in_(bindparam("document_ids", expanding=True)))
                 .order_by(chunk_table.c.ordinal))
# bytes of a chunk's text: PostgreSQL reads octet_length from a TOASTed value's header (the text is
# not fetched); SQLite's length() of a BLOB counts bytes
_TEXT_BYTES: dict[str, ColumnElement[int]] = {"postgresql": func.octet_length(chunk_table.c.text),
                                              "sqlite": func.length(cast(chunk_table.c.text, LargeBinary))}


class SqlAlchemyChunkRepository(SqlAlchemyRepository):
    def replace(self, document_id: uuid.UUID, chunks: Sequence[Chunk]) -> None:
        """Delete the document's chunks, then insert ``chunks`` (idempotent re-processing)."""
        self._conn.execute(chunk_table.delete().where(chunk_table.c.document_id == document_id))
        if chunks:
            self._conn.execute(chunk_table.insert(), [_row(document_id, chunk) for chunk in chunks])

    def list_for_document(self, document_id: uuid.UUID) -> list[Chunk]:
        return [_chunk(row) for row in self._conn.execute(_OF_DOCUMENT, {"document_id": document_id}).mappings()]

    def page_for_document(self, document_id: uuid.UUID, *, after: int | None = None, limit: int,
                          max_bytes: int) -> tuple[list[Chunk], bool]:
        """Two range reads of the (document, ordinal) index: the sizes of the next ``limit + 1``
        chunks, then the texts of those that fit the page."""
        following = [chunk_table.c.document_id == document_id]
        if after is not None:
            following.append(chunk_table.c.ordinal > after)
        size = _TEXT_BYTES.get(self._conn.dialect.name, func.length(chunk_table.c.text))
        sizes = self._conn.execute(select(chunk_table.c.ordinal, size).where(*following)
                                   .order_by(chunk_table.c.ordinal).limit(limit + 1)).all()
        taken = total = 0
        for _, chunk_bytes in sizes[:limit]:
            total += chunk_bytes or 0
            if taken and total > max_bytes:
                break
            taken += 1
        if not taken:
            return [], False
        rows = self._conn.execute(select(chunk_table).where(*following, chunk_table.c.ordinal <= sizes[taken - 1][0])
                                  .order_by(chunk_table.c.ordinal)).mappings()
        return [_chunk(row) for row in rows], taken < len(sizes)

    def list_for_documents(self, document_ids: Sequence[uuid.UUID]) -> list[Chunk]:
        by_document: dict[uuid.UUID, list[Chunk]] = {document_id: [] for document_id in document_ids}
        if by_document:
            for row in self._conn.execute(_OF_DOCUMENTS, {"document_ids": list(by_document)}).mappings():
                by_document[row["document_id"]].append(_chunk(row))
        return [chunk for chunks in by_document.values() for chunk in chunks]

    def get_many(self, keys: Sequence[tuple[uuid.UUID, int]]) -> list[Chunk]:
        """The chunks named by (document id, ordinal), in the order of ``keys`` (missing ones left out)."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return []
        if self._conn.dialect.name == "postgresql":  # a row-value IN is an index lookup per pair there
            query = select(chunk_table).where(tuple_(chunk_table.c.document_id, chunk_table.c.ordinal).in_(wanted))
        else:  # SQLite scans the table for a row-value IN: the keys as a JSON array joined by the unique index
            query = _MANY_SQLITE.params(keys=json.dumps([[document_id.hex, ordinal] for document_id, ordinal in wanted]))
        found = {(row["document_id"], row["ordinal"]): _chunk(row) for row in self._conn.execute(query).mappings()}
        return [found[key] for key in wanted if key in found]

    def count_for_document(self, document_id: uuid.UUID) -> int:
        query = select(func.count()).select_from(chunk_table).where(chunk_table.c.document_id == document_id)
        return int(self._conn.execute(query).scalar_one())


def _row(document_id: uuid.UUID, chunk: Chunk) -> dict[str, object]:
    return {
        "id": chunk.id,
        "document_id": document_id,
        "ordinal": chunk.ordinal,
        "text": chunk.text,
        "locators": [_locator_json(chunk, i) for i in range(len(chunk.locators))],
        "start": chunk.start,
        "end": chunk.end,
        "token_count": chunk.token_count,
    }


def _locator_json(chunk: Chunk, index: int) -> dict[str, object]:
    """A locator's fields, plus the span of its text in the document when the chunk has spans."""
    data = chunk.locators[index].to_dict()
    if len(chunk.spans) == len(chunk.locators):
        data["span"] = list(chunk.spans[index])
    return data


def _chunk(row: RowMapping) -> Chunk:
    values = dict(row)
    stored = values["locators"]
    spans = tuple(tuple(d["span"]) for d in stored) if stored and all("span" in d for d in stored) else ()
    return Chunk(**values | {"locators": tuple(Locator.from_dict(d) for d in stored), "spans": spans})
