"""Document routes: upload, list, get, chunks, thumbnail, delete."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from application.use_cases.list_documents import ListDocumentsQuery
from application.use_cases.upload_document import UploadDocumentCommand
from domain.documents import DocumentKind, DocumentStatus
from entrypoints.api.cursors import (ChunkCursor, DocumentCursor, chunk_cursor, chunk_position, document_cursor,
                                     document_position)
from entrypoints.api.dependencies import ContainerDep, PrincipalDep, as_principal
from entrypoints.api.languages import LabelLanguageDep
from entrypoints.api.request_body import NO_CONTROL_PATTERN
from entrypoints.api.schemas import PROBLEM_RESPONSES, ChunkList, ChunkOut, DocumentList, DocumentOut, UploadOut
from entrypoints.api.threads import run_fast
from entrypoints.api.upload_form import FIELD_BYTES, check_declared_length, read_upload

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])
ERRORS = PROBLEM_RESPONSES(401, 403, 404, 409, 422)


UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "title": "UploadForm",
    "properties": {
        "file": {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream",
                 "minLength": 1, "description": "The document (one file part per upload; an empty one is a 422)."},
        "password": {"type": "string", "maxLength": FIELD_BYTES, "pattern": NO_CONTROL_PATTERN,  # not a "not":
                     # schemathesis cannot take one beside a file part (tests/e2e/test_api_schema.py)
                     "description": "Password of a protected PDF, DOCX or XLSX (never stored)."}}}}}}


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=UploadOut,
             responses={**ERRORS, **PROBLEM_RESPONSES(400, 413, 415)}, openapi_extra={"requestBody": UPLOAD_BODY})
async def upload(request: Request, container: ContainerDep, user: PrincipalDep) -> UploadOut:
    """Upload a document as multipart/form-data (`file`, and `password` for a protected one); it is
    processed in the background (poll its status). The caller is authenticated and the declared size
    checked against the tier's cap before the body is read."""
    use_case = container.upload_document()
    with as_principal():  # the use case loads the user and refuses a banned one
        cap = await run_in_threadpool(use_case.max_file_bytes, user.id)
        check_declared_length(request.headers.get("content-length"), cap)
        form = await read_upload(request.headers.get("content-type"), request.stream(), cap)
        command = UploadDocumentCommand(user_id=user.id, filename=form.filename or "document",
                                        data=bytes(form.data or b""), password=form.password)
        form.data = None  # the command holds the bytes now; one copy in memory, not two
        result = await run_in_threadpool(use_case, command)
    return UploadOut(**DocumentOut.of(result.document).model_dump(), duplicate=result.duplicate)


@router.get("", response_model=DocumentList, responses=ERRORS)
async def list_documents(request: Request, container: ContainerDep, user: PrincipalDep,
                   status_filter: Annotated[DocumentStatus | None, Query(alias="status")] = None,
                   kind: DocumentKind | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                   cursor: DocumentCursor = None,
                   q: Annotated[str | None, Query(max_length=255, pattern=NO_CONTROL_PATTERN,
                                                  description="Only documents whose filename contains this "
                                                              "(case-insensitive).")] = None) -> DocumentList:
    """Your documents, newest first (the dashboard's Library reads the same use case)."""
    query = ListDocumentsQuery(user_id=user.id, status=status_filter, kind=kind, limit=limit,
                               before=document_position(cursor), filename_contains=q)
    with as_principal():  # the user and the page in one read awaited on the event loop
        page = await container.list_documents().page_async(query, request.app.state.async_store)
    next_cursor = document_cursor(*page.next_before) if page.next_before else None
    return DocumentList(items=[DocumentOut.of(d) for d in page.documents], next_cursor=next_cursor)


@router.get("/{document_id}", response_model=DocumentOut, responses=ERRORS)
async def get_document(request: Request, document_id: uuid.UUID, container: ContainerDep,
                       user: PrincipalDep) -> DocumentOut:
    """One document: status, progress, pages, error."""
    with as_principal():
        return DocumentOut.of(await run_fast(request, container.get_document(), user.id, document_id))


@router.get("/{document_id}/chunks", response_model=ChunkList, responses=ERRORS)
async def list_chunks(request: Request, document_id: uuid.UUID, container: ContainerDep, user: PrincipalDep,
                      language: LabelLanguageDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100, cursor: ChunkCursor = None) -> ChunkList:
    """The document's chunks in order, each with its locators (what citations point into), a page
    at a time: at most `limit` chunks and about 4 MiB of text (a larger chunk comes alone)."""
    with as_principal():
        page = await run_fast(request, container.get_document().chunk_page, user.id, document_id,
                              after=chunk_position(cursor), limit=limit)
    return ChunkList(items=[ChunkOut.of(c, language) for c in page.chunks],
                     next_cursor=chunk_cursor(page.next_after) if page.next_after is not None else None)


@router.get("/{document_id}/thumbnail", response_class=Response, responses={
    200: {"content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
          "description": "A JPEG of the first page, at most 320 pixels a side."}, **ERRORS})
async def thumbnail(request: Request, document_id: uuid.UUID, container: ContainerDep, user: PrincipalDep) -> Response:
    """The first page of a processed PDF or image, small (404 `thumbnail_not_found` for other kinds)."""
    with as_principal():
        picture = await run_fast(request, container.document_thumbnail(), user.id, document_id)
    return Response(picture, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@router.delete("/{document_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def delete_document(document_id: uuid.UUID, container: ContainerDep, user: PrincipalDep) -> Response:
    """Delete the document, its chunks, its conversations and the stored file."""
    with as_principal():
        container.delete_document()(user.id, document_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

