"""Threads use case: started over one's own documents or the library, listed most recent first a
page at a time, renamed, deleted; another user's thread is a ThreadNotFound like a missing one."""

from __future__ import annotations

import uuid

import pytest

from application.use_cases.threads import Threads
from domain.errors import DocumentNotFound, InvalidInput, ThreadNotFound
from domain.threads import ThreadScope
from tests.unit.conftest import World


def test_threads_over_documents_or_the_library(world: World) -> None:
    threads = Threads(uow=world.uow, clock=world.clock)
    ann, bob = world.add_user(), world.add_user()
    first, second = world.ready_document(ann), world.ready_document(ann, "Another text.", "b.txt")
    assert threads.create(ann.id, document_ids=(first.id,)).scope is ThreadScope.DOCUMENT
    assert threads.create(ann.id, document_ids=(first.id, second.id)).scope is ThreadScope.DOCUMENTS
    assert threads.create(ann.id, whole_library=True).document_ids == ()
    with pytest.raises(DocumentNotFound):  # someone else's document
        threads.create(bob.id, document_ids=(first.id,))
    for bad in ({}, {"document_ids": (first.id,), "whole_library": True}):
        with pytest.raises(InvalidInput):
            threads.create(ann.id, **bad)


def test_pages_rename_and_delete_belong_to_the_owner(world: World) -> None:
    threads = Threads(uow=world.uow, clock=world.clock)
    ann, bob = world.add_user(), world.add_user()
    made = []
    for _ in range(3):
        made.append(threads.create(ann.id, whole_library=True))
        world.clock.advance(1)
    page = threads.list(ann.id, limit=2)
    assert [t.id for t in page.threads] == [made[2].id, made[1].id] and page.next_before is not None
    rest = threads.list(ann.id, limit=2, before=page.next_before)
    assert [t.id for t in rest.threads] == [made[0].id] and rest.next_before is None
    assert threads.rename(ann.id, made[0].id, " Supplier  terms ").title == "Supplier terms"
    assert threads.list(ann.id).threads[0].id == made[0].id  # renamed: the most recent
    for intruder_call in (lambda: threads.get(bob.id, made[0].id), lambda: threads.rename(bob.id, made[0].id, "x"),
                          lambda: threads.delete(bob.id, made[0].id), lambda: threads.get(ann.id, uuid.uuid4())):
        with pytest.raises(ThreadNotFound):
            intruder_call()
    assert threads.list(ann.id).turns == {t.id: 0 for t in made}
    threads.delete(ann.id, made[0].id)
    assert [t.id for t in threads.list(ann.id).threads] == [made[2].id, made[1].id]
    assert threads.get(ann.id, made[1].id).turns == []


def test_the_latest_thread_about_one_document_alone(world: World) -> None:
    threads = Threads(uow=world.uow, clock=world.clock)
    ann = world.add_user()
    first, second = world.ready_document(ann), world.ready_document(ann, "Another text.", "b.txt")
    assert threads.latest_about(ann.id, first.id) is None
    older = threads.create(ann.id, document_ids=(first.id,))
    world.clock.advance(1)
    newer = threads.create(ann.id, document_ids=(first.id,))
    world.clock.advance(1)
    threads.create(ann.id, document_ids=(first.id, second.id))  # about both: not a thread of one document
    threads.create(ann.id, whole_library=True)
    assert threads.latest_about(ann.id, first.id).id == newer.id
    threads.rename(ann.id, older.id, "Picked up again")  # now the most recently active
    assert threads.latest_about(ann.id, first.id).id == older.id
    assert threads.latest_about(ann.id, second.id) is None
