"""What a question is answered from: the numbered sources sent to the model.

The passages come from application.retrieval.finder (the index; the whole documents when they
fit the budget). A summary or overview question on documents that do not fit is answered by
map-reduce instead: every chunk, in parts of about the budget each, at most
``summary_max_calls`` parts."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import attrs

from application.ports.language_model import Source
from application.ports.unit_of_work import UnitOfWork
from application.prompts import is_overview_question
from application.retrieval.finder import PassageFinder
from domain.chunks import Chunk
from domain.documents import Document
from domain.followups import ThreadContext
from domain.users import User


@attrs.frozen(kw_only=True)
class RetrievalSettings:
    context_tokens: int = 2500
    cache_ttl_seconds: int = 7 * 86400
    summary_max_calls: int = 8  # map calls of a map-reduce pass; parts grow beyond the budget past it


@attrs.frozen
class Prepared:
    user: User
    documents: tuple[Document, ...]
    question: str
    cache_key: str
    sources: tuple[Source, ...]
    chunks_by_number: dict[int, Chunk]
    map_parts: tuple[tuple[Source, ...], ...] = ()  # non-empty: answer by map-reduce
    unindexed: tuple[uuid.UUID, ...] = ()  # documents answered without their search index
    thread: ThreadContext | None = None  # asked in a thread: its standalone form drives the retrieval

    @property
    def asked(self) -> str:
        """The question as retrieval and the model read it (a follow-up's standalone form)."""
        return self.thread.standalone if self.thread is not None else self.question

    @property
    def document_id(self) -> uuid.UUID | None:
        return self.documents[0].id if len(self.documents) == 1 else None


def prepare(uow: UnitOfWork, finder: PassageFinder, settings: RetrievalSettings, user: User,
            documents: tuple[Document, ...], question: str, cache_key: str,
            thread: ThreadContext | None = None) -> Prepared:
    """The sources (or map-reduce parts) for ``question`` (its standalone form in a thread), read in ``uow``."""
    asked = thread.standalone if thread is not None else question
    budget = settings.context_tokens
    names = {d.id: d.filename for d in documents} if len(documents) > 1 else {}
    ids = [d.id for d in documents]
    if is_overview_question(asked):
        chunks = uow.chunks.list_for_documents(ids)
        total = sum(c.token_count for c in chunks)
        if total > budget:
            numbered = [source(i + 1, c, names) for i, c in enumerate(chunks)]
            groups = min(settings.summary_max_calls, -(-total // budget))
            return Prepared(user, documents, question, cache_key, (), dict(enumerate(chunks, start=1)),
                            tuple(batches(numbered, chunks, groups)), thread=thread)
        chosen, unindexed = chunks, ()
    else:
        found = finder.find(uow, asked, ids, budget)
        chosen, unindexed = found.chunks, found.unindexed
    by_number = dict(enumerate(chosen, start=1))
    sources = tuple(source(n, c, names) for n, c in by_number.items())
    return Prepared(user, documents, question, cache_key, sources, by_number, unindexed=unindexed, thread=thread)


def source(number: int, chunk: Chunk, names: dict[uuid.UUID, str]) -> Source:
    name = names.get(chunk.document_id)
    return Source(number=number, label=f"{name}, {chunk.label}" if name else chunk.label, text=chunk.text)


def batches(sources: list[Source], chunks: list[Chunk], groups: int) -> Iterator[tuple[Source, ...]]:
    """At most ``groups`` runs of consecutive sources holding about the same number of tokens: each
    chunk goes to the group its token midpoint falls in."""
    total = sum(c.token_count for c in chunks) or 1
    by_group: dict[int, list[Source]] = {}
    before = 0
    for item, chunk in zip(sources, chunks, strict=True):
        group = min(groups - 1, int((before + chunk.token_count / 2) * groups // total))
        by_group.setdefault(group, []).append(item)
        before += chunk.token_count
    for group in sorted(by_group):
        yield tuple(by_group[group])
