"""Document routes: upload, list, get, chunks, delete."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool

from application.use_cases.list_documents import ListDocumentsQuery
from application.use_cases.upload_document import UploadDocumentCommand
from domain.documents import DocumentKind, DocumentStatus
from domain.errors import FileTooLarge, InvalidInput
from entrypoints.api.dependencies import ContainerDep, PrincipalDep, as_principal
from entrypoints.api.schemas import PROBLEM_RESPONSES, ChunkOut, DocumentList, DocumentOut, UploadOut
from entrypoints.api.threads import run_fast

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])
ERRORS = PROBLEM_RESPONSES(401, 403, 404, 409, 422)
READ_CHUNK = 1024 * 1024


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=UploadOut,
             responses={**ERRORS, **PROBLEM_RESPONSES(413, 415)})
async def upload(file: Annotated[UploadFile, File(description="The document.")], container: ContainerDep,
                 user: PrincipalDep, password: Annotated[str | None, Form(
                     description="Password of a protected PDF, DOCX or XLSX (never stored).")] = None) -> UploadOut:
    """Upload a document; it is processed in the background (poll its status)."""
    use_case = container.upload_document()
    with as_principal():  # the use case loads the user and refuses a banned one
        cap = await run_in_threadpool(use_case.max_file_bytes, user.id)
        data = bytearray()
        while chunk := await file.read(READ_CHUNK):
            data += chunk
            if len(data) > cap:
                raise FileTooLarge(f"The file is larger than the {cap // 2**20} MiB your tier accepts.", limit=cap)
        command = UploadDocumentCommand(user_id=user.id, filename=file.filename or "document", data=bytes(data),
                                        password=password or None)
        result = await run_in_threadpool(use_case, command)
    return UploadOut(**DocumentOut.of(result.document).model_dump(), duplicate=result.duplicate)


@router.get("", response_model=DocumentList, responses=ERRORS)
async def list_documents(request: Request, container: ContainerDep, user: PrincipalDep,
                   status_filter: Annotated[DocumentStatus | None, Query(alias="status")] = None,
                   kind: DocumentKind | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                   cursor: Annotated[str | None, Query(max_length=200, pattern=r"^[A-Za-z0-9_-]+=*$",
                                                       description="next_cursor of the previous page")] = None,
                   ) -> DocumentList:
    """Your documents, newest first."""
    query = ListDocumentsQuery(user_id=user.id, status=status_filter, kind=kind, limit=limit,
                               before=_decode_cursor(cursor))
    with as_principal():  # the user and the page in one read awaited on the event loop
        page = await container.list_documents().page_async(query, request.app.state.async_store)
    next_cursor = None
    if page.next_before:
        created, doc_id = page.next_before
        next_cursor = base64.urlsafe_b64encode(f"{created.isoformat()}|{doc_id}".encode()).decode()
    return DocumentList(items=[DocumentOut.of(d) for d in page.documents], next_cursor=next_cursor)


@router.get("/{document_id}", response_model=DocumentOut, responses=ERRORS)
async def get_document(request: Request, document_id: uuid.UUID, container: ContainerDep,
                       user: PrincipalDep) -> DocumentOut:
    """One document: status, progress, pages, error."""
    with as_principal():
        return DocumentOut.of(await run_fast(request, container.get_document(), user.id, document_id))


@router.get("/{document_id}/chunks", response_model=list[ChunkOut], responses=ERRORS)
async def list_chunks(request: Request, document_id: uuid.UUID, container: ContainerDep,
                      user: PrincipalDep) -> list[ChunkOut]:
    """The document's chunks in order, each with its locators (what citations point into)."""
    with as_principal():
        chunks = await run_fast(request, container.get_document().chunks, user.id, document_id)
    return [ChunkOut.of(c) for c in chunks]


@router.delete("/{document_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def delete_document(document_id: uuid.UUID, container: ContainerDep, user: PrincipalDep) -> Response:
    """Delete the document, its chunks, its conversations and the stored file."""
    with as_principal():
        container.delete_document()(user.id, document_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _decode_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        created, doc_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        moment = datetime.fromisoformat(created)
        if moment.tzinfo is None:  # every cursor this API issues carries its UTC offset
            raise ValueError(created)
        return moment, uuid.UUID(doc_id)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("The cursor is not valid.", field="cursor") from None
