"""Export a thread, or a user's whole history in a date range, as Markdown, DOCX, PDF or JSON: the
use case gathers the turns and names the documents; a renderer per format (adapters.export) writes
the file. Citations become numbered footnotes with their locator label and quoted passage."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

import attrs

from application.ports.clock import Clock
from application.ports.export_renderer import (ConversationExport, ExportedCitation, ExportedThread, ExportedTurn,
                                               ExportRenderers)
from application.audit import audit
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from application.use_cases.threads import owned_thread
from domain.analytics import AuditAction
from domain.conversations import Conversation
from domain.errors import InvalidInput
from domain.threads import Thread

FORMATS = ("md", "docx", "pdf", "json")
HISTORY_PAGE = 200
_SLUG_RE = re.compile(r"[^a-z0-9]+")


@attrs.frozen
class ExportFile:
    filename: str
    media_type: str
    data: bytes


@attrs.define
class ExportThreads:
    uow: UnitOfWork
    renderers: ExportRenderers
    clock: Clock | None = None  # the export's "generated at" (default: the system's clock)

    def thread(self, user_id: uuid.UUID, thread_id: uuid.UUID, format: str) -> ExportFile:
        """One thread of the user, every turn; ThreadNotFound for another user's thread."""
        check_format(format)
        with self.uow as uow:
            thread = owned_thread(uow, active_user(uow, user_id), thread_id)
            exported = self._thread(uow, thread, uow.threads.turns(thread.id))
            audit(uow, AuditAction.EXPORT, actor_id=user_id, target=str(thread.id), at=self._now(),
                  what="thread", format=format)
            uow.commit()
        title = thread.title or "Untitled thread"
        name = f"{_slug(title) or 'thread'}-{thread.id.hex[:8]}"
        return self._file(ConversationExport(title=title, generated_at=self._now(), threads=(exported,)), name,
                          format)

    def history(self, user_id: uuid.UUID, *, since: date | None = None, until: date | None = None,
                format: str) -> ExportFile:
        """Every thread of the user with turns asked from ``since`` to ``until`` (UTC days, both
        included; open when None), each with those turns, the thread asked in first first."""
        check_format(format)
        start = datetime.combine(since, time.min, tzinfo=UTC) if since else None
        end = _day_after(until)
        exported: list[tuple[datetime, ExportedThread]] = []
        with self.uow as uow:
            user = active_user(uow, user_id)
            for thread in _every_thread(uow, user.id, updated_from=start):
                turns = [t for t in uow.threads.turns(thread.id)
                         if (start is None or t.created_at >= start) and (end is None or t.created_at < end)]
                if turns:
                    exported.append((turns[0].created_at, self._thread(uow, thread, turns)))
            audit(uow, AuditAction.EXPORT, actor_id=user.id, target=str(user.id), at=self._now(), what="history",
                  format=format, since=since.isoformat() if since else None,
                  until=until.isoformat() if until else None, threads=len(exported))
            uow.commit()
        exported.sort(key=lambda pair: (pair[0], str(pair[1].id)))
        period = f"{since.isoformat() if since else 'the beginning'} to {until.isoformat() if until else 'today'}"
        name = "conversations" + (f"-from-{since.isoformat()}" if since else "") + (
            f"-to-{until.isoformat()}" if until else "")
        export = ConversationExport(title="Conversation history", generated_at=self._now(),
                                    threads=tuple(t for _, t in exported), period=period)
        return self._file(export, name, format)

    def _thread(self, uow: UnitOfWork, thread: Thread, turns: list[Conversation]) -> ExportedThread:
        names: dict[uuid.UUID, str] = {}

        def name(document_id: uuid.UUID | None) -> str:
            if document_id is None:
                return ""
            if document_id not in names:
                document = uow.documents.get(document_id)
                names[document_id] = document.filename if document and document.owner_id == thread.user_id else ""
            return names[document_id]

        return ExportedThread(
            id=thread.id, title=thread.title or "Untitled thread", scope=thread.scope.value,
            documents=tuple(n for n in (name(d) for d in thread.document_ids) if n),
            created_at=thread.created_at, updated_at=thread.updated_at,
            turns=tuple(ExportedTurn(question=t.question, answer=t.answer, asked_at=t.created_at, model=t.model,
                                     citations=tuple(ExportedCitation(number=c.number, label=c.label, quote=c.quote,
                                                                      document=name(c.document_id))
                                                     for c in sorted(t.citations, key=lambda c: c.number)))
                        for t in turns))

    def _file(self, export: ConversationExport, name: str, format: str) -> ExportFile:
        renderer = self.renderers.renderer(format)
        return ExportFile(filename=f"{name}.{renderer.extension}", media_type=renderer.media_type,
                          data=renderer.render(export))

    def _now(self) -> datetime:
        return self.clock.now() if self.clock is not None else datetime.now(UTC)


def check_format(format: str) -> None:
    if format not in FORMATS:
        raise InvalidInput(f"Unknown export format {format!r}: the formats are {', '.join(FORMATS)}.",
                           field="format")


def _every_thread(uow: UnitOfWork, user_id: uuid.UUID, *, updated_from: datetime | None) -> list[Thread]:
    """The user's threads, page after page, down to the last one updated on or after ``updated_from``
    (a thread's updated_at is at least its newest turn's time, so older ones have none in range)."""
    found: list[Thread] = []
    before = None
    while True:
        page = uow.threads.list_for_user(user_id, limit=HISTORY_PAGE, before=before)
        for thread in page:
            if updated_from is not None and thread.updated_at < updated_from:
                return found
            found.append(thread)
        if len(page) < HISTORY_PAGE:
            return found
        before = (page[-1].updated_at, page[-1].id)


def _day_after(day: date | None) -> datetime | None:
    if day is None:
        return None
    try:
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)
    except OverflowError:  # date.max: the end of time
        return None


def _slug(title: str) -> str:
    return _SLUG_RE.sub("-", title.lower()).strip("-")[:60].strip("-")
