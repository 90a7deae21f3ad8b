"""Opaque page cursors: a keyset position packed into a fixed number of bytes, sent as base64url
without padding.

The query parameter's pattern admits exactly the strings of that length in the base64url alphabet,
and every one of them decodes to a position: a timestamp out of range is clamped, any 16 bytes are a
UUID. So a cursor the schema admits is never refused (schemathesis once sent ``cursor=0``, which the
old pattern admitted and the route answered 422), and one the pattern refuses gets 422 from the
parameter's validation. A cursor the server did not issue merely names a position: a page still
holds only the caller's own documents."""

from __future__ import annotations

import base64
import struct
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Query

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DOCUMENT = struct.Struct(">q16s")  # microseconds since the epoch (UTC), then the document id: 24 bytes
_CHUNK = struct.Struct(">Q")  # the last ordinal of the previous page, in its low 6 bytes
_LAST_ORDINAL = 2**31 - 1  # the column's range (a 32-bit integer): a cursor past it names the end


def _cursor_query(length: int) -> Any:
    return Query(min_length=length, max_length=length, pattern=f"^[A-Za-z0-9_-]{{{length}}}$",
                 description="next_cursor of the previous page")


DocumentCursor = Annotated[str | None, _cursor_query(32)]
ChunkCursor = Annotated[str | None, _cursor_query(8)]


def document_cursor(created: datetime, document_id: uuid.UUID) -> str:
    return _encode(_DOCUMENT.pack((created - _EPOCH) // _MICROSECOND, document_id.bytes))


def document_position(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if cursor is None:
        return None
    micros, raw_id = _DOCUMENT.unpack(_decode(cursor))
    try:
        created = _EPOCH + micros * _MICROSECOND
    except OverflowError:  # beyond datetime's years 1..9999: the same page as the nearest end
        created = datetime.max.replace(tzinfo=UTC) if micros > 0 else datetime.min.replace(tzinfo=UTC)
    return created, uuid.UUID(bytes=raw_id)


def chunk_cursor(ordinal: int) -> str:
    return _encode(_CHUNK.pack(ordinal)[2:])


def chunk_position(cursor: str | None) -> int | None:
    return None if cursor is None else min(_CHUNK.unpack(b"\0\0" + _decode(cursor))[0], _LAST_ORDINAL)


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _decode(cursor: str) -> bytes:
    return base64.urlsafe_b64decode(cursor.encode("ascii"))
