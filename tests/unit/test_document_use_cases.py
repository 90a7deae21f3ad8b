"""ListDocuments, GetDocument, SelectActiveDocument, DeleteDocument and ClearDocuments."""

from __future__ import annotations

import asyncio
import copy
import uuid

import pytest

from adapters.persistence.threaded_async_store import ThreadedAsyncStore
from application.use_cases.clear_documents import ClearDocuments
from application.use_cases.delete_document import DeleteDocument
from application.use_cases.get_document import GetDocument
from application.use_cases.list_documents import MAX_PAGE, ListDocuments, ListDocumentsQuery
from application.use_cases.select_active_document import SelectActiveDocument
from domain.analytics import EventType
from domain.chunks import Chunk
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.errors import DocumentNotFound, UserBanned, UserNotFound
from domain.users import UserStatus
from tests.unit.conftest import World


def upload_many(world: World, user, n: int, *, suffix: str = "txt") -> list:  # noqa: ANN001
    documents = []
    for i in range(n):
        documents.append(world.upload(user, f"document {i} {uuid.uuid4()}", filename=f"doc{i}.{suffix}"))
        world.clock.advance(1)
    return documents


# --- ListDocuments ---------------------------------------------------------------------------


def test_list_documents_newest_first_and_only_mine(world: World) -> None:
    ann, bob = world.add_user(), world.add_user()
    mine = upload_many(world, ann, 3)
    upload_many(world, bob, 2)
    page = ListDocuments(world.uow)(ListDocumentsQuery(user_id=ann.id))
    assert [d.id for d in page.documents] == [d.id for d in reversed(mine)]
    assert page.next_before is None


def test_list_documents_cursor_pagination(world: World) -> None:
    user = world.add_user()
    documents = upload_many(world, user, 7)
    expected = [d.id for d in reversed(documents)]
    seen, before = [], None
    while True:
        page = ListDocuments(world.uow)(ListDocumentsQuery(user_id=user.id, limit=3, before=before))
        seen.extend(d.id for d in page.documents)
        assert len(page.documents) <= 3
        if page.next_before is None:
            break
        before = page.next_before
        assert before == (page.documents[-1].created_at, page.documents[-1].id)
    assert seen == expected


def test_the_async_page_is_the_same_page(world: World) -> None:
    """page_async (the API's, through DocumentPages) pages exactly as __call__ does, and refuses the same."""
    ann, bob = world.add_user(), world.add_user()
    upload_many(world, ann, 5)
    upload_many(world, bob, 2)
    pages = ThreadedAsyncStore(lambda: world.uow)
    use_case = ListDocuments(world.uow)
    before = None
    for _ in range(3):
        query = ListDocumentsQuery(user_id=ann.id, limit=2, before=before)
        page = asyncio.run(use_case.page_async(query, pages))
        assert page == use_case(query)
        before = page.next_before
    assert before is None
    with pytest.raises(UserNotFound):
        asyncio.run(use_case.page_async(ListDocumentsQuery(user_id=uuid.uuid4()), pages))
    world.set_status(bob, UserStatus.BANNED)
    with pytest.raises(UserBanned):
        asyncio.run(use_case.page_async(ListDocumentsQuery(user_id=bob.id), pages))


def test_list_documents_cursor_with_equal_timestamps(world: World) -> None:
    user = world.add_user()
    documents = [world.upload(user, f"same instant {i}") for i in range(5)]  # the clock does not move
    seen, before = [], None
    for _ in range(5):
        page = ListDocuments(world.uow)(ListDocumentsQuery(user_id=user.id, limit=2, before=before))
        seen.extend(d.id for d in page.documents)
        if (before := page.next_before) is None:
            break
    assert sorted(seen) == sorted(d.id for d in documents) and len(seen) == len(set(seen))


def test_a_full_last_page_has_no_next_cursor(world: World) -> None:
    user = world.add_user()
    upload_many(world, user, 4)
    first = ListDocuments(world.uow)(ListDocumentsQuery(user_id=user.id, limit=2))
    second = ListDocuments(world.uow)(ListDocumentsQuery(user_id=user.id, limit=2, before=first.next_before))
    assert len(second.documents) == 2 and second.next_before is None


def test_list_documents_filters(world: World) -> None:
    user = world.add_user()
    texts = upload_many(world, user, 2)
    markdowns = upload_many(world, user, 2, suffix="md")
    world.process_use_case()(texts[0].id)
    by_kind = ListDocuments(world.uow)(ListDocumentsQuery(user_id=user.id, kind=DocumentKind.MARKDOWN))
    assert {d.id for d in by_kind.documents} == {d.id for d in markdowns}
    by_status = ListDocuments(world.uow)(ListDocumentsQuery(user_id=user.id, status=DocumentStatus.COMPLETED))
    assert [d.id for d in by_status.documents] == [texts[0].id]
    both = ListDocuments(world.uow)(ListDocumentsQuery(user_id=user.id, status=DocumentStatus.PENDING,
                                                       kind=DocumentKind.TEXT))
    assert [d.id for d in both.documents] == [texts[1].id]


@pytest.mark.parametrize(("limit", "expected"), [(0, 1), (-5, 1), (10_000, MAX_PAGE)])
def test_list_documents_clamps_the_page_size(world: World, limit: int, expected: int) -> None:
    user = world.add_user()
    upload_many(world, user, 2)
    page = ListDocuments(world.uow)(ListDocumentsQuery(user_id=user.id, limit=limit))
    assert len(page.documents) == min(expected, 2)


def test_a_banned_user_cannot_list(world: World) -> None:
    user = world.add_user(status=UserStatus.BANNED)
    with pytest.raises(UserBanned):
        ListDocuments(world.uow)(ListDocumentsQuery(user_id=user.id))


# --- GetDocument -----------------------------------------------------------------------------


def test_get_document_and_its_chunks(world: World) -> None:
    user = world.add_user()
    document = world.ready_document(user, "One.\n\nTwo.")
    get = GetDocument(world.uow)
    assert get(user.id, document.id) == world.document(document.id)
    page = get.chunk_page(user.id, document.id)
    assert [c.text for c in page.chunks] == ["One.\n\nTwo."] and page.next_after is None
    assert page.chunks == world.store.chunks[document.id]


def test_chunks_are_paged_by_count_and_by_bytes(world: World) -> None:
    user = world.add_user()
    document = world.ready_document(user, "One.")
    world.store.chunks[document.id] = [Chunk(document_id=document.id, ordinal=i, text=text, locators=(), start=0,
                                             end=len(text), token_count=1)
                                       for i, text in enumerate(["a" * 10, "b" * 10, "c" * 10, "d" * 10, "e" * 10])]
    get = GetDocument(world.uow, page_bytes=25)
    pages, after = [], None
    while True:
        page = get.chunk_page(user.id, document.id, after=after, limit=3)
        pages.append([c.ordinal for c in page.chunks])
        if (after := page.next_after) is None:
            break
    assert pages == [[0, 1], [2, 3], [4]]  # two 10-byte chunks fit 25 bytes, three do not
    assert [c.ordinal for c in GetDocument(world.uow).chunk_page(user.id, document.id, limit=3).chunks] == [0, 1, 2]
    assert GetDocument(world.uow).chunk_page(user.id, document.id, limit=5000).next_after is None  # capped at 1000
    with pytest.raises(DocumentNotFound):
        GetDocument(world.uow).chunk_page(world.add_user().id, document.id)


def test_get_document_hides_other_users_documents(world: World) -> None:
    owner, intruder = world.add_user(), world.add_user()
    document = world.ready_document(owner, "Secret.")
    get = GetDocument(world.uow)
    with pytest.raises(DocumentNotFound) as other:
        get(intruder.id, document.id)
    with pytest.raises(DocumentNotFound) as missing:
        get(intruder.id, uuid.uuid4())
    assert other.value.code == missing.value.code and other.value.message == missing.value.message
    with pytest.raises(DocumentNotFound):
        get.chunk_page(intruder.id, document.id)


# --- SelectActiveDocument --------------------------------------------------------------------


def test_select_active_document(world: World) -> None:
    user = world.add_user()
    first, _second = upload_many(world, user, 2)
    assert world.user(user.id).active_document_id == _second.id
    selected = SelectActiveDocument(world.uow, world.clock)(user.id, first.id)
    assert selected.id == first.id
    assert world.user(user.id).active_document_id == first.id
    assert world.user(user.id).updated_at == world.clock.now()


def test_select_another_users_document_is_not_found(world: World) -> None:
    owner, intruder = world.add_user(), world.add_user()
    document = world.upload(owner, "mine")
    mine = world.upload(intruder, "theirs")
    with pytest.raises(DocumentNotFound):
        SelectActiveDocument(world.uow, world.clock)(intruder.id, document.id)
    assert world.user(intruder.id).active_document_id == mine.id


# --- DeleteDocument --------------------------------------------------------------------------


def test_delete_document(world: World) -> None:
    user = world.add_user()
    document = world.ready_document(user, "Delete me.")
    world.ask(user, "What?")
    key = world.document(document.id).storage_key
    DeleteDocument(world.uow, world.storage, world.clock)(user.id, document.id)
    assert world.document(document.id) is None
    assert key not in world.storage.blobs
    assert document.id not in world.store.chunks
    assert world.store.conversations == []
    assert world.user(user.id).active_document_id is None
    deleted = [e for e in world.store.events if e.type is EventType.DOCUMENT_DELETED]
    assert [e.data for e in deleted] == [{"kind": "text"}]


def test_deleting_another_document_keeps_the_active_one(world: World) -> None:
    user = world.add_user()
    old, active = upload_many(world, user, 2)
    DeleteDocument(world.uow, world.storage, world.clock)(user.id, old.id)
    assert world.user(user.id).active_document_id == active.id


def test_deleting_another_users_document_is_not_found_and_deletes_nothing(world: World) -> None:
    owner, intruder = world.add_user(), world.add_user()
    document = world.ready_document(owner, "Keep me.")
    before_store, before_blobs = copy.deepcopy(world.store), dict(world.storage.blobs)
    with pytest.raises(DocumentNotFound):
        DeleteDocument(world.uow, world.storage, world.clock)(intruder.id, document.id)
    assert world.store == before_store and world.storage.blobs == before_blobs


def test_a_blob_that_cannot_be_removed_is_not_an_error(world: World) -> None:
    class StickyStorage(type(world.storage)):
        def delete(self, key: str) -> None:
            raise OSError("read-only volume")

    world.storage = StickyStorage()
    user = world.add_user()
    document = world.upload(user, "text")
    DeleteDocument(world.uow, world.storage, world.clock)(user.id, document.id)
    assert world.document(document.id) is None


# --- ClearDocuments --------------------------------------------------------------------------


def test_clear_documents(world: World) -> None:
    ann, bob = world.add_user(), world.add_user()
    upload_many(world, ann, 3)
    world.ready_document(ann, "processed one")
    bobs = upload_many(world, bob, 2)
    assert ClearDocuments(world.uow, world.storage, world.clock)(ann.id) == 4
    assert {d.owner_id for d in world.store.documents.values()} == {bob.id}
    assert set(world.storage.blobs) == {world.document(d.id).storage_key for d in bobs}
    assert world.user(ann.id).active_document_id is None
    assert world.user(bob.id).active_document_id == bobs[-1].id
    assert ClearDocuments(world.uow, world.storage, world.clock)(ann.id) == 0


def test_clear_more_than_one_batch(world: World) -> None:
    user = world.add_user()
    for i in range(205):  # seeded straight into the store: 205 uploads would be slow
        key = world.storage.put(b"x")
        document = Document(owner_id=user.id, filename=f"{i}.txt", kind=DocumentKind.TEXT, size=1, sha256=str(i),
                            storage_key=key, created_at=world.clock.now(), updated_at=world.clock.now())
        world.store.documents[document.id] = document
    assert ClearDocuments(world.uow, world.storage, world.clock)(user.id) == 205
    assert world.store.documents == {} and world.storage.blobs == {}
