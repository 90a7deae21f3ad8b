"""Document routes: upload, list, get, ask."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile, status

from application.use_cases.list_documents import ListDocumentsQuery
from application.use_cases.query_document import QueryDocumentCommand
from application.use_cases.upload_document import UploadDocumentCommand
from config.container import Container
from domain.documents import DocumentKind, DocumentStatus
from domain.errors import FileTooLarge, InvalidInput
from domain.users import User
from entrypoints.api.dependencies import current_user, get_container
from entrypoints.api.schemas import AnswerOut, DocumentList, DocumentOut, Problem, QueryIn, UploadOut

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])
ERRORS = {code: {"model": Problem, "content": {"application/problem+json": {}}} for code in (403, 404, 409, 422)}
READ_CHUNK = 1024 * 1024

ContainerDep = Annotated[Container, Depends(get_container)]
UserDep = Annotated[User, Depends(current_user)]


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=UploadOut,
             responses={**ERRORS, 413: ERRORS[422], 415: ERRORS[422]})
async def upload(file: Annotated[UploadFile, File(description="The document.")], container: ContainerDep,
                 user: UserDep) -> UploadOut:
    """Upload a document; it is processed in the background (poll its status)."""
    use_case = container.upload_document()
    cap = use_case.max_file_bytes(user.id)
    data = bytearray()
    while chunk := await file.read(READ_CHUNK):
        data += chunk
        if len(data) > cap:
            raise FileTooLarge(f"The file is larger than the {cap // 2**20} MiB your tier accepts.", limit=cap)
    result = use_case(UploadDocumentCommand(user_id=user.id, filename=file.filename or "document", data=bytes(data)))
    return UploadOut(**DocumentOut.of(result.document).model_dump(), duplicate=result.duplicate)


@router.get("", response_model=DocumentList, responses=ERRORS)
def list_documents(container: ContainerDep, user: UserDep,
                   status_filter: Annotated[DocumentStatus | None, Query(alias="status")] = None,
                   kind: DocumentKind | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                   cursor: str | None = None) -> DocumentList:
    """Your documents, newest first."""
    page = container.list_documents()(ListDocumentsQuery(user_id=user.id, status=status_filter, kind=kind,
                                                         limit=limit, before=_decode_cursor(cursor)))
    next_cursor = None
    if page.next_before:
        created, doc_id = page.next_before
        next_cursor = base64.urlsafe_b64encode(f"{created.isoformat()}|{doc_id}".encode()).decode()
    return DocumentList(items=[DocumentOut.of(d) for d in page.documents], next_cursor=next_cursor)


@router.get("/{document_id}", response_model=DocumentOut, responses=ERRORS)
def get_document(document_id: uuid.UUID, container: ContainerDep, user: UserDep) -> DocumentOut:
    """One document: status, progress, pages, error."""
    return DocumentOut.of(container.get_document()(user.id, document_id))


@router.post("/{document_id}/query", response_model=AnswerOut, responses={**ERRORS, 429: ERRORS[422]})
def query(document_id: uuid.UUID, body: QueryIn, container: ContainerDep, user: UserDep) -> AnswerOut:
    """Ask a question; the answer cites where in the document it stands."""
    conversation = container.query_document()(
        QueryDocumentCommand(user_id=user.id, question=body.question, document_id=document_id))
    return AnswerOut.of(conversation)


def _decode_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        created, doc_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(created), uuid.UUID(doc_id)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("The cursor is not valid.", field="cursor") from None
