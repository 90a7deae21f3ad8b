"""Thumbnails: kept in the file storage when the extractor makes one, served to the owner only,
replaced when the document is processed again and removed with it."""

from __future__ import annotations

import uuid

import pytest

from application.use_cases.delete_document import DeleteDocument
from application.use_cases.document_thumbnail import DocumentThumbnail
from domain.errors import DocumentNotFound, ThumbnailNotFound
from tests.fakes import FakeExtractor, FakeExtractors
from tests.unit.conftest import World

PICTURE = b"\xff\xd8\xff\xe0 a small jpeg"


def thumbnails(world: World) -> DocumentThumbnail:
    return DocumentThumbnail(uow=world.uow, storage=world.storage)


def test_a_thumbnail_is_stored_and_served_to_its_owner_only(world: World) -> None:
    world.extractors = FakeExtractors(FakeExtractor(thumbnail=PICTURE))
    ann, bob = world.add_user(), world.add_user()
    document = world.ready_document(ann)
    assert document.thumbnail_key is not None and world.storage.blobs[document.thumbnail_key] == PICTURE
    assert thumbnails(world)(ann.id, document.id) == PICTURE
    with pytest.raises(DocumentNotFound):
        thumbnails(world)(bob.id, document.id)
    with pytest.raises(DocumentNotFound):
        thumbnails(world)(ann.id, uuid.uuid4())


def test_a_document_without_pages_has_none(world: World) -> None:
    ann = world.add_user()
    document = world.ready_document(ann)
    with pytest.raises(ThumbnailNotFound):
        thumbnails(world)(ann.id, document.id)


def test_processing_again_replaces_it_and_deleting_removes_both_blobs(world: World) -> None:
    world.extractors = FakeExtractors(FakeExtractor(thumbnail=PICTURE))
    ann = world.add_user()
    document = world.ready_document(ann)
    first = document.thumbnail_key
    world.extractors.extractor.thumbnail = b"\xff\xd8\xff a newer one"
    _reprocess(world, document.id)
    second = world.store.documents[document.id].thumbnail_key
    assert second not in (None, first) and first not in world.storage.blobs
    DeleteDocument(uow=world.uow, storage=world.storage, clock=world.clock)(ann.id, document.id)
    assert world.storage.blobs == {}


def _reprocess(world: World, document_id: uuid.UUID) -> None:
    from domain.documents import DocumentStatus

    with world.uow as uow:  # as a recovery or a re-read after an extractor upgrade would find it
        document = uow.documents.get(document_id)
        assert document is not None
        document.status = DocumentStatus.PENDING
        uow.documents.update(document)
        uow.commit()
    world.process_use_case()(document_id)
