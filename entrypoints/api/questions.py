"""Questions about a document: a JSON answer, or Server-Sent Events with deltas and a final answer."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import Field

from application.ports.language_model import CompletionDelta
from application.ports.rate_limiter import RateDecision
from application.use_cases.query_document import QueryDocumentCommand
from config.container import Container
from domain.conversations import Conversation
from domain.errors import DomainError
from entrypoints.api.dependencies import ContainerDep, PrincipalDep, as_principal
from entrypoints.api.languages import LabelLanguageDep
from entrypoints.api.metrics import Metrics
from entrypoints.api.problems import STATUS_BY_CODE
from entrypoints.api.ratelimit_headers import decision_headers
from entrypoints.api.schemas import (
    EXAMPLE_DOCUMENT_ID,
    PROBLEM_RESPONSES,
    RATE_LIMIT_HEADERS,
    AnswerOut,
    QueryIn,
    example,
)
from entrypoints.api.threads import run_fast

router = APIRouter(prefix="/api/v1", tags=["questions"])
SSE_EXAMPLE = ('event: delta\ndata: {"text": "Invoices are payable "}\n\n'
               'event: answer\ndata: {"answer": "Invoices are payable within 30 days [1].", "citations": [...]}\n\n')


ANSWER_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES(401, 403, 404, 409, 422, 429, 503),
    200: {"content": {"text/event-stream": {"example": SSE_EXAMPLE}},
          "description": "The answer (JSON), or with ?stream=true / Accept: text/event-stream "
                         "a stream of `delta` events and a final `answer` event. Tiers with limits get "
                         "RateLimit-* headers (the usage after this question).",
          "headers": RATE_LIMIT_HEADERS},
}
StreamFlag = Annotated[bool, Query(description="Stream the answer as Server-Sent Events.")]
AcceptHeader = Annotated[str | None, Header(include_in_schema=False)]


class LibraryQueryIn(QueryIn):
    model_config = example({"question": "Which contracts mention a penalty for late delivery?",
                            "document_ids": [EXAMPLE_DOCUMENT_ID], "whole_library": False})

    document_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50,
                                          description="Documents to ask about; none: your whole library.")
    whole_library: bool = Field(False, strict=True,  # true or false, not 1 or "yes" (what the schema says)
                                description="Ask about every completed document of yours "
                                            "(also what an empty document_ids means).")


@router.post("/documents/{document_id}/query", response_model=AnswerOut, responses=ANSWER_RESPONSES)
async def query(document_id: uuid.UUID, body: QueryIn, container: ContainerDep, user: PrincipalDep,
                request: Request, response: Response, language: LabelLanguageDep, stream: StreamFlag = False,
                accept: AcceptHeader = None) -> Any:
    """Ask a question; the answer cites where in the document it stands."""
    command = QueryDocumentCommand(user_id=user.id, question=body.question, document_id=document_id)
    return await answer(command, container, request, response, streamed(stream, accept), language)


@router.post("/query", response_model=AnswerOut, responses=ANSWER_RESPONSES)
async def query_library(body: LibraryQueryIn, container: ContainerDep, user: PrincipalDep, request: Request,
                        response: Response, language: LabelLanguageDep, stream: StreamFlag = False,
                        accept: AcceptHeader = None) -> Any:
    """Ask across several documents (or your whole library); citations name the document they point into."""
    command = QueryDocumentCommand(user_id=user.id, question=body.question, document_ids=tuple(body.document_ids),
                                   whole_library=body.whole_library or not body.document_ids)
    return await answer(command, container, request, response, streamed(stream, accept), language)


@router.get("/conversations", response_model=list[AnswerOut], responses=PROBLEM_RESPONSES(401, 403, 422))
async def conversations(request: Request, container: ContainerDep, user: PrincipalDep, language: LabelLanguageDep,
                        limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[AnswerOut]:
    """Your latest questions and answers, newest first."""
    with as_principal():
        found = await run_fast(request, container.list_conversations(), user.id, limit=limit)
    return [AnswerOut.of(c, language) for c in found]


def streamed(stream: bool, accept: str | None) -> bool:
    """?stream=true, or an Accept header asking for Server-Sent Events."""
    return stream or "text/event-stream" in (accept or "")


async def answer(command: QueryDocumentCommand, container: Container, request: Request, response: Response,
                  stream: bool, language: str = "en") -> Any:
    """The checks, rate limit and cache lookup on the event loop (a cached answer is read and
    recorded without a thread: QueryDocument.open_async); a question for the model waits in the
    default pool."""
    use_case = container.query_document()
    headers: dict[str, str] = {}  # RateLimit-* from the decision that admitted the question

    def on_rate(decision: RateDecision) -> None:
        headers.update(decision_headers(decision.windows))

    with as_principal():
        opened = await use_case.open_async(command, store=request.app.state.async_store,
                                           offload=functools.partial(run_fast, request), on_rate=on_rate)
    if stream:
        events = (iter([CompletionDelta(text=opened.answer), opened]) if isinstance(opened, Conversation)
                  else opened.stream())
        first = await run_in_threadpool(next, events)  # errors before the first byte are plain problems
        return StreamingResponse(_sse(first, events, request.app.state.metrics, language), media_type="text/event-stream",
                                 headers={**headers, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    conversation = opened if isinstance(opened, Conversation) else await run_in_threadpool(_final, opened.stream())
    request.app.state.metrics.observe_answer(conversation)
    response.headers.update(headers)
    return AnswerOut.of(conversation, language)


def _final(items: Iterator[CompletionDelta | Conversation]) -> Conversation:
    final = None
    for item in items:
        final = item
    assert isinstance(final, Conversation), "an answer stream ends with its Conversation"
    return final


def _sse(first: CompletionDelta | Conversation, rest: Iterator[CompletionDelta | Conversation],
         metrics: Metrics, language: str) -> Iterator[str]:
    items = iter([first])
    try:
        for source in (items, rest):
            for item in source:
                if isinstance(item, Conversation):
                    metrics.observe_answer(item)
                    yield _event("answer", AnswerOut.of(item, language).model_dump(mode="json"))
                else:
                    yield _event("delta", {"text": item.text})
    except DomainError as error:  # after the stream started: an error event, never a broken connection
        yield _event("error", {"code": error.code, "detail": error.message,
                               "status": STATUS_BY_CODE.get(error.code, 400)})


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
