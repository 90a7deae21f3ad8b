"""The upload's multipart/form-data body, read as it arrives under the caller's size cap.

FastAPI's ``UploadFile`` parameters make Starlette read the whole body into temporary files before
the route or its dependencies run: an anonymous caller could make the API write a gigabyte before
its 401. Here the route authenticates from the headers first, refuses a declared Content-Length
over the caller's cap before reading a byte, then feeds the body to python-multipart's streaming
parser chunk by chunk: the file's bytes are kept in memory only up to the cap (the upload use case
hashes, sniffs and stores them whole), nothing is spooled to disk, and the read stops at the first
byte over the cap. One ``file`` part per request (a second is refused with 400 rather than one of
them silently kept); ``password`` is the only other field read; any other field is capped small.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import attrs
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect

from domain.errors import FileTooLarge, InvalidInput
from entrypoints.api.request_limits import has_control

FIELD_BYTES = 4096  # a form field other than the file (the password): more is not a password
MULTIPART_OVERHEAD = 64 * 1024  # boundaries, part headers and the small fields around the file


class DuplicateFilePart(InvalidInput):
    """Two ``file`` parts in one upload (400: the request itself is malformed)."""

    code = "duplicate_file_part"


@attrs.define
class UploadForm:
    filename: str | None = None
    data: bytearray | None = None
    password: str | None = None


def check_declared_length(content_length: str | None, cap: int) -> None:
    """413 before the body is read when the declared length cannot fit a file within ``cap``."""
    if content_length is not None and content_length.isdigit() and int(content_length) > cap + MULTIPART_OVERHEAD:
        raise FileTooLarge(f"The file is larger than the {cap // 2**20} MiB your tier accepts.", limit=cap)


async def read_upload(content_type: str | None, stream: AsyncIterator[bytes], cap: int) -> UploadForm:
    """The form's file (at most ``cap`` bytes), its filename and the password field."""
    kind, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise InvalidInput("Send the file as multipart/form-data in a part named 'file'.", field="file")
    reader = _Reader(cap)
    parser = MultipartParser(boundary, reader.callbacks())
    try:
        async for chunk in stream:
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError:
        raise InvalidInput("The multipart body could not be parsed.", field="file") from None
    except ClientDisconnect:  # nobody is left to read the answer; nothing was stored
        raise InvalidInput("The upload was interrupted before its end.", field="file") from None
    if reader.form.data is None:
        raise InvalidInput("The form has no part named 'file' holding a file.", field="file")
    return reader.form


class _Reader:
    """python-multipart's callbacks: each part's headers, then its bytes into the file or a field."""

    def __init__(self, cap: int) -> None:
        self.cap, self.form = cap, UploadForm()
        self._header_name = self._header_value = b""
        self._disposition = b""
        self._target: bytearray | None = None  # where the current part's bytes go
        self._field: str | None = None
        self._limit = 0

    def callbacks(self) -> dict:
        return {"on_part_begin": self._part_begin, "on_header_field": self._header_field,
                "on_header_value": self._header_part, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished, "on_part_data": self._data,
                "on_part_end": self._part_end}

    def _part_begin(self) -> None:
        self._disposition, self._target, self._field = b"", None, None

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_part(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]
        if len(self._header_value) > FIELD_BYTES:
            raise InvalidInput("A part header of the form is too long.", field="file")

    def _header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        name = options.get(b"name", b"").decode("utf-8", "replace")
        self._field, self._target = name, bytearray()
        if name == "file" and b"filename" in options:
            if self.form.data is not None:
                raise DuplicateFilePart("Send one file per upload: the form holds two parts named 'file'.",
                                        field="file")
            filename = options[b"filename"].decode("utf-8", "replace")
            if has_control(filename):
                raise InvalidInput("The filename holds a control character (such as NUL).", field="file")
            self.form.filename, self.form.data, self._limit = filename, self._target, self.cap
        else:
            self._limit = FIELD_BYTES

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._target is None:
            return
        self._target += data[start:end]
        if len(self._target) > self._limit:
            if self._target is self.form.data:
                raise FileTooLarge(f"The file is larger than the {self.cap // 2**20} MiB your tier accepts.",
                                   limit=self.cap)
            raise InvalidInput(f"The form field '{self._field}' is too long.", field=self._field)

    def _part_end(self) -> None:
        if self._field == "password" and self._target is not None:
            password = self._target.decode("utf-8", "replace")
            if has_control(password):
                raise InvalidInput("The password holds a control character (such as NUL).", field="password")
            self.form.password = password or None
        self._target = None
