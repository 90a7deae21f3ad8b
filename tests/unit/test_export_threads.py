"""ExportThreads: a thread, or every thread of a period, handed to the format's renderer as one
document model (turns oldest first, citations numbered with their labels and documents named);
an empty thread is an empty export; another user's thread is a ThreadNotFound; an unknown format
is an InvalidInput naming the formats."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import attrs
import pytest

from application.ports.export_renderer import ConversationExport
from application.use_cases.export_threads import FORMATS, ExportThreads
from application.use_cases.threads import Threads
from domain.conversations import Citation, Conversation
from domain.errors import InvalidInput, ThreadNotFound
from domain.locators import Locator
from domain.threads import Thread
from domain.users import User
from tests.unit.conftest import World


@attrs.define
class RecordingRenderer:
    media_type: str
    extension: str
    seen: list[ConversationExport] = attrs.Factory(list)

    def render(self, export: ConversationExport) -> bytes:
        self.seen.append(export)
        return f"{self.extension}:{len(export.threads)}".encode()


@attrs.define
class RecordingRenderers:
    by_format: dict[str, RecordingRenderer] = attrs.Factory(
        lambda: {f: RecordingRenderer(media_type=f"type/{f}", extension=f) for f in FORMATS})

    def renderer(self, format: str) -> RecordingRenderer:
        return self.by_format[format]


def _turn(world: World, thread: Thread, question: str, *, document_id: uuid.UUID, number: int = 1) -> None:
    """A question answered in ``thread`` now, citing page ``number`` of the document."""
    now = world.clock.now()
    citation = Citation(number=number, document_id=document_id, chunk_ordinal=0, locators=(Locator(page=number),),
                        quote=f"Quoted passage {number}.")
    with world.uow as uow:
        uow.conversations.add(Conversation(user_id=thread.user_id, document_id=document_id, question=question,
                                           answer=f"The answer [{number}].", citations=[citation], model="offline",
                                           created_at=now, thread_id=thread.id))
        stored = uow.threads.get(thread.id)
        assert stored is not None
        stored.turn_added(question, now)
        uow.threads.update(stored)
        uow.commit()
    world.clock.advance(60)


def _setup(world: World) -> tuple[ExportThreads, RecordingRenderers, User, Thread]:
    renderers = RecordingRenderers()
    ann = world.add_user()
    document = world.ready_document(ann, "Invoices are due within 30 days.", "terms.txt")
    thread = Threads(uow=world.uow, clock=world.clock).create(ann.id, document_ids=(document.id,))
    return ExportThreads(uow=world.uow, renderers=renderers, clock=world.clock), renderers, ann, thread


def test_every_format_gets_the_same_thread_with_its_turns_and_numbered_citations(world: World) -> None:
    export, renderers, ann, thread = _setup(world)
    document_id = thread.document_ids[0]
    _turn(world, thread, "When are invoices due?", document_id=document_id, number=1)
    _turn(world, thread, "And the penalty?", document_id=document_id, number=2)
    for format in FORMATS:
        file = export.thread(ann.id, thread.id, format)
        assert file.media_type == f"type/{format}" and file.data == f"{format}:1".encode()
        assert file.filename == f"when-are-invoices-due-{thread.id.hex[:8]}.{format}"
        model = renderers.by_format[format].seen[-1]
        assert model.title == "When are invoices due?" and not model.empty and model.period == ""
        (exported,) = model.threads
        assert exported.documents == ("terms.txt",) and exported.scope == "document"
        assert [t.question for t in exported.turns] == ["When are invoices due?", "And the penalty?"]
        assert [(c.number, c.label, c.quote, c.document) for t in exported.turns for c in t.citations] == [
            (1, "page 1", "Quoted passage 1.", "terms.txt"), (2, "page 2", "Quoted passage 2.", "terms.txt")]


def test_an_empty_thread_is_an_empty_export_with_a_title(world: World) -> None:
    export, renderers, ann, thread = _setup(world)
    file = export.thread(ann.id, thread.id, "pdf")
    model = renderers.by_format["pdf"].seen[-1]
    assert model.empty and model.title == "Untitled thread" and model.threads[0].turns == ()
    assert file.filename == f"untitled-thread-{thread.id.hex[:8]}.pdf"


def test_another_users_thread_is_not_found(world: World) -> None:
    export, renderers, ann, thread = _setup(world)
    bob = world.add_user()
    for intruder in (lambda: export.thread(bob.id, thread.id, "md"), lambda: export.thread(ann.id, uuid.uuid4(), "md")):
        with pytest.raises(ThreadNotFound):
            intruder()
    assert renderers.by_format["md"].seen == []
    assert export.history(bob.id, format="json").data == b"json:0"  # bob's history holds none of ann's


@pytest.mark.parametrize("format", ["txt", "", "PDF", "markdown"])
def test_an_unknown_format_lists_the_formats(world: World, format: str) -> None:
    export, _, ann, thread = _setup(world)
    for call in (lambda: export.thread(ann.id, thread.id, format), lambda: export.history(ann.id, format=format)):
        with pytest.raises(InvalidInput) as raised:
            call()
        assert all(f in raised.value.message for f in FORMATS), raised.value.message


def test_history_holds_the_threads_with_questions_in_the_period_oldest_first(world: World) -> None:
    export, renderers, ann, first = _setup(world)
    threads = Threads(uow=world.uow, clock=world.clock)
    document_id = first.document_ids[0]
    _turn(world, first, "Day one question", document_id=document_id)
    day_one = world.clock.now().date()
    world.clock.advance(86_400)
    second = threads.create(ann.id, whole_library=True)
    _turn(world, second, "Day two in the second thread", document_id=document_id)
    _turn(world, first, "Day two in the first thread", document_id=document_id)
    threads.create(ann.id, whole_library=True)  # no question: never in a history
    day_two = day_one + timedelta(days=1)

    everything = export.history(ann.id, format="md")
    assert everything.filename == "conversations.md"
    model = renderers.by_format["md"].seen[-1]
    assert [t.id for t in model.threads] == [first.id, second.id]  # the first asked in first
    assert [t.question for t in model.threads[0].turns] == ["Day one question", "Day two in the first thread"]

    export.history(ann.id, since=day_two, format="md")
    model = renderers.by_format["md"].seen[-1]
    assert [(t.id, [x.question for x in t.turns]) for t in model.threads] == [
        (second.id, ["Day two in the second thread"]), (first.id, ["Day two in the first thread"])]

    only_day_one = export.history(ann.id, since=day_one, until=day_one, format="json")
    assert only_day_one.filename == f"conversations-from-{day_one}-to-{day_one}.json"
    model = renderers.by_format["json"].seen[-1]
    assert [t.question for th in model.threads for t in th.turns] == ["Day one question"]
    assert model.period == f"{day_one} to {day_one}"

    export.history(ann.id, since=date.max, until=date.min, format="md")  # nothing, and no overflow
    assert renderers.by_format["md"].seen[-1].empty
    export.history(ann.id, until=date.max, format="md")
    assert len(renderers.by_format["md"].seen[-1].threads) == 2


def test_a_deleted_document_is_cited_without_its_name(world: World) -> None:
    export, renderers, ann, thread = _setup(world)
    _turn(world, thread, "Anything?", document_id=uuid.uuid4())  # cites a document that is gone
    export.thread(ann.id, thread.id, "md")
    (citation,) = renderers.by_format["md"].seen[-1].threads[0].turns[0].citations
    assert citation.document == "" and citation.label == "page 1"
