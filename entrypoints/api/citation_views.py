"""The citation viewer's routes: a citation shown in its original (JSON), a page as a PNG, and the
original file itself (with byte ranges, so an audio element can seek).

The view takes the citation's chunk ordinal and quote only; where it points comes from the stored
chunk (application.use_cases.citation_view). A page image carries a version tag (ETag) and may be
cached privately by the browser; a conditional request whose tag matches is answered 304 after the
same access checks, without rendering. The original is an attachment unless a browser plays or
shows it itself (audio, JPEG/PNG/WebP images), always with ``nosniff`` and a sandboxing policy."""

from __future__ import annotations

import re
import uuid
from typing import Annotated
from urllib.parse import quote as url_quote

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from application.ports.originals import MAX_IMAGE_WIDTH, MIN_IMAGE_WIDTH
from application.use_cases.citation_view import MAX_QUOTE_CHARS
from domain.media_types import SERVED, plays_inline
from entrypoints.api.citation_view_schemas import CitationViewOut
from entrypoints.api.dependencies import ContainerDep, PrincipalDep, as_principal
from entrypoints.api.languages import LabelLanguageDep
from entrypoints.api.problems import PROBLEM_JSON, problem, problem_body
from entrypoints.api.request_body import NO_CONTROL_PATTERN
from entrypoints.api.schemas import PROBLEM_RESPONSES, Problem
from entrypoints.api.threads import run_fast

router = APIRouter(prefix="/api/v1/documents", tags=["citations"])
ERRORS = PROBLEM_RESPONSES(401, 403, 404, 409, 422)
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_PAST_THE_END = "The range starts past the end of the file."


@router.get("/{document_id}/chunks/{ordinal}/view", response_model=CitationViewOut, responses=ERRORS)
async def citation_view(document_id: uuid.UUID, container: ContainerDep, user: PrincipalDep,
                        language: LabelLanguageDep, ordinal: Annotated[int, Path(ge=0, le=10_000_000)],
                        quote: Annotated[str, Query(max_length=MAX_QUOTE_CHARS, pattern=NO_CONTROL_PATTERN,
                                                    description="The citation's `quote`.")] = "") -> CitationViewOut:
    """A citation (its `chunk_ordinal` and `quote`, as an answer gave them) where it stands: a PDF's
    pages with boxes over the quoted words, a sheet range with the cited cells, a Word section with
    the passage marked, text lines, or a recording's time range."""
    with as_principal():
        view = await run_in_threadpool(container.show_citation(), user.id, document_id, ordinal, quote)
    return CitationViewOut.of(view, language)


@router.get("/{document_id}/pages/{page}/image", response_class=Response, responses={
    200: {"content": {"image/png": _BINARY}, "description": "The page as a PNG."},
    304: {"description": "The copy the client holds (If-None-Match) is current."}, **ERRORS})
async def page_image(request: Request, document_id: uuid.UUID, container: ContainerDep, user: PrincipalDep,
                     page: Annotated[int, Path(ge=1, le=1_000_000)],
                     width: Annotated[int, Query(ge=MIN_IMAGE_WIDTH, le=MAX_IMAGE_WIDTH)] = 1200) -> Response:
    """A page of a PDF (or a frame of an image document) as a PNG `width` pixels wide (narrower when
    the page is too large to draw at that width); 404 `page_not_found` past the last page, 422 for
    a document without pages or a page too large to draw."""
    use_case = container.page_image()
    with as_principal():
        etag = f'"{await run_fast(request, use_case.tag, user.id, document_id, page, width)}"'
        headers = {"ETag": etag, "Cache-Control": "private, max-age=86400"}
        if etag in _tags(request.headers.get("if-none-match")):
            return Response(status_code=304, headers=headers)
        png = await run_in_threadpool(use_case, user.id, document_id, page, width)
    return Response(png, media_type="image/png", headers=headers)


@router.get("/{document_id}/file", response_class=Response, responses={
    200: {"content": {media: _BINARY for media in SERVED}, "description": "The original file, as its type."},
    206: {"content": {media: _BINARY for media in SERVED},
          "description": "The byte range asked for (`Range: bytes=...`), with `Content-Range`."},
    416: {"model": Problem, "description": "The range starts past the end of the file (`Content-Range: bytes */size`).",
          "content": {PROBLEM_JSON: {"example": problem_body(416, "range_not_satisfiable", _PAST_THE_END)}}},
    **ERRORS})
async def original_file(request: Request, document_id: uuid.UUID, container: ContainerDep,
                        user: PrincipalDep) -> Response:
    """The original as it was stored (a protected upload without its password), with its media
    type; audio and pictures inline, anything else as an attachment. One byte range per request."""
    with as_principal():
        original = await run_fast(request, container.original_file(), user.id, document_id)
    disposition = "inline" if plays_inline(original.media_type) else "attachment"
    headers = {"Accept-Ranges": "bytes", "ETag": f'"{original.sha256[:32]}"', "Cache-Control": "private, no-cache",
               "Content-Disposition": f"{disposition}; filename*=UTF-8''{url_quote(original.filename, safe='')}",
               "Content-Security-Policy": "sandbox; default-src 'none'", "X-Content-Type-Options": "nosniff"}
    size = len(original.data)
    wanted = byte_range(request.headers.get("range"), size)
    if wanted is None:
        return Response(original.data, media_type=original.media_type, headers=headers)
    start, end = wanted
    if start >= size:
        refused = problem(416, "range_not_satisfiable", f"{_PAST_THE_END} It has {size:,} bytes.")
        refused.headers.update({"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"})
        return refused
    return Response(original.data[start:end + 1], status_code=206, media_type=original.media_type,
                    headers={**headers, "Content-Range": f"bytes {start}-{end}/{size}"})


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte of a single ``bytes=`` range (RFC 9110 14.1.2), clipped to the file;
    None to send the whole file (no header, several ranges, or one we do not parse). A start past
    the end comes back as is: the caller answers 416."""
    match = _RANGE.match((header or "").strip())
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        count = int(last)
        return (max(0, size - count), size - 1) if count else (size, size)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None  # invalid: ignored, the whole file is sent
    return start, end


def _tags(header: str | None) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in (header or "").split(",") if tag.strip()}
