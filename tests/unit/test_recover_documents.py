"""RecoverDocuments: stuck documents are enqueued again, with their owner's priority."""

from __future__ import annotations

from application.use_cases.recover_documents import RecoverDocuments
from domain.documents import Document, DocumentStatus
from domain.tiers import QueuePriority
from domain.users import Tier
from tests.fakes import FakeQueue
from tests.unit.conftest import World


def recover(world: World, queue: FakeQueue | None = None, **kw: float) -> list:
    return RecoverDocuments(uow=world.uow, queue=queue or world.queue, tiers=world.tiers, clock=world.clock)(**kw)



def start_processing(world: World, document: Document) -> None:
    """A worker took the document (and then, in these tests, vanished)."""
    with world.uow as uow:
        doc = uow.documents.get(document.id)
        doc.start_processing(world.clock.now())
        uow.documents.update(doc)
        uow.commit()

def test_pending_and_processing_documents_are_enqueued_again(world: World) -> None:
    free, enterprise = world.add_user(), world.add_user(tier=Tier.ENTERPRISE)
    pending = world.upload(free, "Alpha paragraph.", "a.txt")
    stuck = world.upload(enterprise, "Beta paragraph.", "b.txt")
    done = world.ready_document(free, "Gamma paragraph.", "c.txt")
    start_processing(world, stuck)
    world.queue.jobs.clear()
    world.clock.advance(600)

    recovered = recover(world)

    assert {d.id for d in recovered} == {pending.id, stuck.id}
    assert sorted(world.queue.jobs) == sorted([(pending.id, QueuePriority.LOW), (stuck.id, QueuePriority.HIGH)])
    assert world.store.documents[done.id].status is DocumentStatus.COMPLETED


def test_recent_documents_are_left_to_the_job_that_has_them(world: World) -> None:
    user = world.add_user()
    world.upload(user, "Alpha paragraph.")
    world.queue.jobs.clear()
    world.clock.advance(10)
    assert recover(world, older_than_seconds=300) == []
    assert len(recover(world, older_than_seconds=0)) == 1


def test_a_queue_outage_leaves_documents_pending_for_the_next_sweep(world: World) -> None:
    user = world.add_user()
    document = world.upload(user, "Alpha paragraph.")
    world.clock.advance(600)
    assert recover(world, FakeQueue(broken=True)) == []
    assert world.store.documents[document.id].status is DocumentStatus.PENDING


def test_processing_documents_can_be_swept_sooner_than_pending_ones(world: World) -> None:
    user = world.add_user()
    pending = world.upload(user, "Alpha paragraph.", "a.txt")
    processing = world.upload(user, "Beta paragraph.", "b.txt")
    start_processing(world, processing)
    world.queue.jobs.clear()
    world.clock.advance(30)
    recovered = recover(world, older_than_seconds=300, processing_older_than_seconds=10)
    assert [d.id for d in recovered] == [processing.id]  # the queue decides whether its worker is dead
    world.clock.advance(300)
    recovered = recover(world, older_than_seconds=300, processing_older_than_seconds=10)
    assert {d.id for d in recovered} == {pending.id, processing.id}
