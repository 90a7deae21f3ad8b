"""Repository and unit-of-work contract, run against the in-memory fakes, SQLite and PostgreSQL.

The same assertions hold for every backend, so the fakes used by the unit tests cannot drift from
the SQLAlchemy adapter.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from application.ports.repositories import DuplicateRecord
from application.ports.unit_of_work import UnitOfWork
from domain.analytics import AnalyticsEvent, AuditEntry, EventType
from domain.api_keys import ApiKey
from domain.chunks import Chunk
from domain.conversations import Citation, Conversation
from domain.documents import Document, DocumentKind, DocumentStatus
from domain.latency import histogram
from domain.locators import Locator
from domain.sessions import RevocationReason, Session, SessionChannel
from domain.threads import Thread, ThreadScope
from domain.users import Role, Tier, User, UserStatus

T0 = datetime(2026, 1, 5, 9, 0, 0, 123456, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


# --- builders ---------------------------------------------------------------------------------


def a_user(**overrides: object) -> User:
    values: dict[str, object] = {"email": f"{uuid.uuid4().hex[:8]}@example.com", "created_at": T0, "updated_at": T0}
    return User(**values | overrides)  # type: ignore[arg-type]


def a_document(owner: User, **overrides: object) -> Document:
    values: dict[str, object] = {
        "owner_id": owner.id, "filename": "report.pdf", "kind": DocumentKind.PDF, "size": 1234,
        "sha256": uuid.uuid4().hex * 2, "storage_key": uuid.uuid4().hex, "created_at": T0, "updated_at": T0,
    }
    return Document(**values | overrides)  # type: ignore[arg-type]


def a_chunk(document: Document, ordinal: int, **overrides: object) -> Chunk:
    values: dict[str, object] = {
        "document_id": document.id, "ordinal": ordinal, "text": f"chunk {ordinal}",
        "locators": (Locator(page=ordinal + 1),), "start": ordinal * 10, "end": ordinal * 10 + 7, "token_count": 2,
    }
    return Chunk(**values | overrides)  # type: ignore[arg-type]


def a_conversation(user: User, document: Document | None, **overrides: object) -> Conversation:
    values: dict[str, object] = {
        "user_id": user.id, "document_id": document.id if document else None, "question": "What?",
        "answer": "That [1].", "model": "offline", "created_at": T0,
    }
    return Conversation(**values | overrides)  # type: ignore[arg-type]


def stored(uow: UnitOfWork, *users: User, documents: tuple[Document, ...] = ()) -> None:
    with uow:
        for user in users:
            uow.users.add(user)
        for document in documents:
            uow.documents.add(document)
        uow.commit()


# --- users ------------------------------------------------------------------------------------


def test_user_round_trips_every_field(uow: UnitOfWork) -> None:
    user = a_user(telegram_id=2**40 + 7, username="Анна", password_hash="argon2$x", role=Role.ADMIN,
                  tier=Tier.ENTERPRISE, status=UserStatus.BANNED, language="ru", updated_at=at(60))
    bare = User(telegram_id=42, created_at=T0, updated_at=T0)
    stored(uow, user, bare)
    with uow:
        assert uow.users.get(user.id) == user
        assert uow.users.get(bare.id) == bare
        assert uow.users.get_by_email(user.email) == user  # type: ignore[arg-type]
        assert uow.users.get_by_telegram_id(2**40 + 7) == user
        assert uow.users.get_by_telegram_id(42) == bare
        assert uow.users.get(uuid.uuid4()) is None
        assert uow.users.get_by_email("nobody@example.com") is None
        assert uow.users.get_by_telegram_id(1) is None
        loaded = uow.users.get(user.id)
        assert loaded is not None and loaded.role is Role.ADMIN and loaded.tier is Tier.ENTERPRISE
        assert loaded.status is UserStatus.BANNED and loaded.created_at.utcoffset() == timedelta(0)


def test_user_update_replaces_the_stored_fields(uow: UnitOfWork) -> None:
    user = a_user()
    stored(uow, user)
    document = a_document(user)
    stored(uow, documents=(document,))
    with uow:
        user.tier, user.status, user.language, user.username = Tier.PREMIUM, UserStatus.INACTIVE, "de", "neo"
        user.email, user.telegram_id, user.active_document_id, user.updated_at = "new@example.com", 7, document.id, at(5)
        uow.users.update(user)
        uow.commit()
    with uow:
        assert uow.users.get(user.id) == user
        assert uow.users.get_by_email("new@example.com") == user


def test_user_lock_changes_nothing_and_the_unit_of_work_goes_on(uow: UnitOfWork) -> None:
    """What a lock holds off is checked with two transactions on PostgreSQL
    (tests/integration/test_upload_quota_race.py); here: it reads and writes nothing."""
    user = a_user()
    stored(uow, user)
    with uow:
        uow.users.lock(user.id)
        uow.users.lock(uuid.uuid4())  # no such user: nothing to hold
        uow.documents.add(a_document(user))
        uow.commit()
    with uow:
        assert uow.users.get(user.id) == user
        assert uow.documents.count_for_owner(user.id) == 1


def test_users_list_is_ordered_by_creation_and_pages(uow: UnitOfWork) -> None:
    people = [a_user(created_at=at(i), updated_at=at(i)) for i in (3, 1, 2, 0)]
    stored(uow, *people)
    expected = sorted(people, key=lambda u: u.created_at)
    with uow:
        assert uow.users.list() == expected
        assert uow.users.list(limit=2) == expected[:2]
        assert uow.users.list(limit=2, offset=2) == expected[2:]
        assert uow.users.list(offset=10) == []


def test_users_list_searches_emails_by_a_part_taken_literally(uow: UnitOfWork) -> None:
    ann, bob, odd, nomail = (a_user(email="ann@example.com", created_at=at(0), updated_at=at(0)),
                             a_user(email="bob@corp.example", created_at=at(1), updated_at=at(1)),
                             a_user(email="x_y%z@example.com", created_at=at(2), updated_at=at(2)),
                             a_user(email=None, telegram_id=7, created_at=at(3), updated_at=at(3)))
    stored(uow, ann, bob, odd, nomail)
    with uow:
        assert uow.users.list(email_contains="EXAMPLE.com") == [ann, odd]
        assert uow.users.list(email_contains="corp") == [bob]
        assert uow.users.list(email_contains="_") == [odd] and uow.users.list(email_contains="%") == [odd]
        assert uow.users.list(email_contains="example.com", limit=1, offset=1) == [odd]
        assert uow.users.list(email_contains="nobody") == []
        assert uow.users.list(email_contains="") == [ann, bob, odd, nomail]


@pytest.mark.parametrize("field", ["email", "telegram_id"])
def test_a_duplicate_user_is_refused_and_the_uow_goes_on_after_rollback(uow: UnitOfWork, field: str) -> None:
    first = a_user(email="same@example.com", telegram_id=99)
    stored(uow, first)
    twin = a_user(**{field: getattr(first, field)})
    other = a_user()
    with uow:
        with pytest.raises(DuplicateRecord):
            uow.users.add(twin)
        assert uow.users.get(first.id) == first  # the transaction goes on after the refusal
        uow.rollback()
        assert uow.users.get(first.id) == first
        uow.users.add(other)
        uow.commit()
    with uow:
        assert uow.users.get(twin.id) is None
        assert uow.users.get(other.id) == other


# --- documents --------------------------------------------------------------------------------


def test_document_round_trips_every_field(uow: UnitOfWork) -> None:
    owner = a_user()
    document = a_document(owner, created_at=datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=3))),
                          updated_at=at(1))
    stored(uow, owner, documents=(document,))
    with uow:
        loaded = uow.documents.get(document.id)
        assert loaded == document
        assert loaded is not None and loaded.error_code is None and loaded.extracted_text is None
        assert loaded.kind is DocumentKind.PDF and loaded.status is DocumentStatus.PENDING
        document.start_processing(at(2))
        document.report_progress(3, 10, at(3))
        document.complete(text="Straße — 東京\n\nsecond", page_count=12, now=at(4), extractor="pdf",
                          extractor_version="1", notes="Pages read by OCR: 2, 5.")
        document.fail(code="file_corrupt", message="Broken", now=at(5))
        document.filename, document.kind, document.size = "sheet.xlsx", DocumentKind.XLSX, 2**40
        uow.documents.update(document)
        uow.commit()
    with uow:
        loaded = uow.documents.get(document.id)
        assert loaded == document
        assert loaded is not None and loaded.status is DocumentStatus.FAILED and loaded.kind is DocumentKind.XLSX
        assert (loaded.extractor, loaded.extractor_version, loaded.notes) == ("pdf", "1", "Pages read by OCR: 2, 5.")
        assert loaded.extracted_text is None  # reads leave the text out; it is read on its own
        assert uow.documents.extracted_text(document.id) == "Straße — 東京\n\nsecond"
        loaded.report_progress(1, 2, at(6))
        uow.documents.update(loaded)  # an update of a document read without its text keeps the text
        assert uow.documents.list_for_owner(owner.id)[0].extracted_text is None
        assert uow.documents.extracted_text(document.id) == "Straße — 東京\n\nsecond"
        assert uow.documents.extracted_text(uuid.uuid4()) is None
        assert loaded.created_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        assert loaded.created_at.utcoffset() == timedelta(0)
        assert uow.documents.get(uuid.uuid4()) is None


def test_update_if_status_stores_only_when_the_stored_status_is_the_expected_one(uow: UnitOfWork) -> None:
    owner = a_user()
    document = a_document(owner, status=DocumentStatus.PROCESSING)
    stored(uow, owner, documents=(document,))
    with uow:
        document.complete(text="done", page_count=1, now=at(3))
        assert uow.documents.update_if_status(document, DocumentStatus.PROCESSING)
        uow.commit()
    with uow:  # a second completion (another worker) finds it completed: nothing stored
        late = uow.documents.get(document.id)
        assert late is not None and late.status is DocumentStatus.COMPLETED
        late.complete(text="again", page_count=2, now=at(4))
        assert not uow.documents.update_if_status(late, DocumentStatus.PROCESSING)
        uow.commit()
    with uow:
        assert uow.documents.get(document.id) == document
        ghost = a_document(owner, status=DocumentStatus.PROCESSING)
        assert not uow.documents.update_if_status(ghost, DocumentStatus.PROCESSING)  # never stored
        assert uow.documents.get(ghost.id) is None


def test_list_for_owner_is_newest_first_and_pages_with_a_cursor(uow: UnitOfWork) -> None:
    owner, stranger = a_user(), a_user()
    # two documents share a timestamp: the id breaks the tie
    docs = [a_document(owner, created_at=at(s), updated_at=at(s)) for s in (5, 1, 3, 3, 4, 0, 2)]
    theirs = [a_document(stranger, created_at=at(s), updated_at=at(s)) for s in (2, 9)]
    stored(uow, owner, stranger, documents=(*docs, *theirs))
    expected = sorted(docs, key=lambda d: (d.created_at, str(d.id)), reverse=True)
    with uow:
        assert uow.documents.list_for_owner(owner.id) == expected
        pages, before = [], None
        while page := uow.documents.list_for_owner(owner.id, limit=3, before=before):
            pages.append(page)
            before = (page[-1].created_at, page[-1].id)
        assert [len(p) for p in pages] == [3, 3, 1]
        assert [d for p in pages for d in p] == expected
        assert uow.documents.list_for_owner(stranger.id) == sorted(theirs, key=lambda d: d.created_at, reverse=True)
        assert uow.documents.list_for_owner(uuid.uuid4()) == []


def test_list_for_owner_filters_by_status_and_kind(uow: UnitOfWork) -> None:
    owner = a_user()
    pdf_done = a_document(owner, status=DocumentStatus.COMPLETED, created_at=at(1))
    pdf_pending = a_document(owner, created_at=at(2))
    audio_done = a_document(owner, kind=DocumentKind.AUDIO, status=DocumentStatus.COMPLETED, created_at=at(3))
    stored(uow, owner, documents=(pdf_done, pdf_pending, audio_done))
    with uow:
        assert uow.documents.list_for_owner(owner.id, status=DocumentStatus.COMPLETED) == [audio_done, pdf_done]
        assert uow.documents.list_for_owner(owner.id, kind=DocumentKind.PDF) == [pdf_pending, pdf_done]
        assert uow.documents.list_for_owner(owner.id, status=DocumentStatus.COMPLETED,
                                            kind=DocumentKind.PDF) == [pdf_done]
        assert uow.documents.list_for_owner(owner.id, status=DocumentStatus.FAILED) == []
        assert uow.documents.list_for_owner(owner.id, status=DocumentStatus.COMPLETED,
                                            before=(audio_done.created_at, audio_done.id)) == [pdf_done]


def test_count_and_get_by_sha256(uow: UnitOfWork) -> None:
    owner, stranger = a_user(), a_user()
    old = a_document(owner, sha256="a" * 64, created_at=at(1))
    new = a_document(owner, sha256="a" * 64, status=DocumentStatus.FAILED, created_at=at(2))
    other = a_document(owner, sha256="b" * 64, created_at=at(3))
    theirs = a_document(stranger, sha256="a" * 64, created_at=at(4))
    stored(uow, owner, stranger, documents=(old, new, other, theirs))
    with uow:
        assert uow.documents.count_for_owner(owner.id) == 3
        assert uow.documents.count_for_owner(owner.id, include_failed=False) == 2
        assert uow.documents.count_for_owner(stranger.id) == 1
        assert uow.documents.count_for_owner(uuid.uuid4()) == 0
        assert uow.documents.get_by_sha256(owner.id, "a" * 64) == new
        assert uow.documents.get_by_sha256(stranger.id, "a" * 64) == theirs
        assert uow.documents.get_by_sha256(stranger.id, "b" * 64) is None


def test_counts_by_kind_and_status_of_one_owner_or_everyone(uow: UnitOfWork) -> None:
    owner, stranger = a_user(), a_user()
    docs = (a_document(owner), a_document(owner), a_document(owner, status=DocumentStatus.COMPLETED),
            a_document(owner, kind=DocumentKind.AUDIO, status=DocumentStatus.FAILED),
            a_document(stranger, status=DocumentStatus.COMPLETED), a_document(stranger, kind=DocumentKind.XLSX))
    stored(uow, owner, stranger, documents=docs)
    pdf, audio, xlsx = DocumentKind.PDF, DocumentKind.AUDIO, DocumentKind.XLSX
    pending, completed, failed = DocumentStatus.PENDING, DocumentStatus.COMPLETED, DocumentStatus.FAILED
    with uow:
        assert uow.documents.counts_by_kind_and_status(owner.id) == {
            (pdf, pending): 2, (pdf, completed): 1, (audio, failed): 1}
        assert uow.documents.counts_by_kind_and_status(None) == {
            (pdf, pending): 2, (pdf, completed): 2, (audio, failed): 1, (xlsx, pending): 1}
        assert uow.documents.counts_by_kind_and_status(uuid.uuid4()) == {}
        counts = uow.documents.counts_by_kind_and_status(stranger.id)
        assert all(type(k) is DocumentKind and type(s) is DocumentStatus for k, s in counts)


def test_list_by_status_finds_stale_documents_oldest_first(uow: UnitOfWork) -> None:
    owner = a_user()
    stale_pending = a_document(owner, updated_at=at(10))
    stale_processing = a_document(owner, status=DocumentStatus.PROCESSING, updated_at=at(5))
    fresh = a_document(owner, status=DocumentStatus.PROCESSING, updated_at=at(100))
    at_limit = a_document(owner, updated_at=at(50))
    done = a_document(owner, status=DocumentStatus.COMPLETED, updated_at=at(1))
    stored(uow, owner, documents=(stale_pending, stale_processing, fresh, at_limit, done))
    with uow:
        active = [DocumentStatus.PENDING, DocumentStatus.PROCESSING]
        assert uow.documents.list_by_status(active, updated_before=at(50)) == [stale_processing, stale_pending]
        assert uow.documents.list_by_status([DocumentStatus.COMPLETED], updated_before=at(50)) == [done]
        assert uow.documents.list_by_status([], updated_before=at(1000)) == []


def test_deleting_a_document_removes_its_chunks_and_conversations(uow: UnitOfWork) -> None:
    owner = a_user()
    doomed, kept = a_document(owner, created_at=at(1)), a_document(owner, created_at=at(2))
    stored(uow, owner, documents=(doomed, kept))
    about_doomed, about_kept = a_conversation(owner, doomed, created_at=at(3)), a_conversation(owner, kept)
    general = a_conversation(owner, None, created_at=at(4))
    with uow:
        uow.chunks.replace(doomed.id, [a_chunk(doomed, i) for i in range(3)])
        uow.chunks.replace(kept.id, [a_chunk(kept, 0)])
        for conversation in (about_doomed, about_kept, general):
            uow.conversations.add(conversation)
        owner.active_document_id = doomed.id
        uow.users.update(owner)
        uow.commit()
    with uow:
        uow.documents.delete(doomed.id)
        uow.documents.delete(uuid.uuid4())  # unknown: nothing happens
        uow.commit()
    with uow:
        assert uow.documents.get(doomed.id) is None
        assert uow.documents.get(kept.id) == kept
        assert uow.chunks.count_for_document(doomed.id) == 0
        assert uow.chunks.list_for_document(doomed.id) == []
        assert uow.chunks.count_for_document(kept.id) == 1
        assert [c.id for c in uow.conversations.list_for_user(owner.id)] == [general.id, about_kept.id]
        reloaded = uow.users.get(owner.id)
        assert reloaded is not None and reloaded.active_document_id is None


# --- chunks -----------------------------------------------------------------------------------


def test_replacing_chunks_twice_keeps_only_the_last_set(uow: UnitOfWork) -> None:
    owner = a_user()
    document = a_document(owner)
    stored(uow, owner, documents=(document,))
    rich = (
        Locator(page=3, section="Terms", paragraph=2, line_start=10, line_end=14),
        Locator(sheet="Q1 Sales", cells="A1:C20"),
        Locator(start_seconds=61.5, end_seconds=125.25),
    )
    first = [a_chunk(document, i) for i in range(4)]
    second = [a_chunk(document, 1, locators=rich, text="Ünïcode ✓"), a_chunk(document, 0)]
    with uow:
        uow.chunks.replace(document.id, first)
        uow.commit()
    with uow:
        assert uow.chunks.list_for_document(document.id) == first
        uow.chunks.replace(document.id, second)
        uow.commit()
    with uow:
        uow.chunks.replace(document.id, second)  # idempotent re-processing
        uow.commit()
    with uow:
        loaded = uow.chunks.list_for_document(document.id)
        assert loaded == sorted(second, key=lambda c: c.ordinal)
        assert loaded[1].locators == rich and loaded[1].label == second[0].label
        assert uow.chunks.count_for_document(document.id) == 2
        uow.chunks.replace(document.id, [])
        assert uow.chunks.count_for_document(document.id) == 0
        assert uow.chunks.list_for_document(uuid.uuid4()) == []


def test_chunks_of_several_documents_come_in_the_order_asked(uow: UnitOfWork) -> None:
    owner = a_user()
    first, second, empty, other = (a_document(owner) for _ in range(4))
    stored(uow, owner, documents=(first, second, empty, other))
    with uow:
        uow.chunks.replace(first.id, [a_chunk(first, i) for i in (2, 0, 1)])
        uow.chunks.replace(second.id, [a_chunk(second, i) for i in (1, 0)])
        uow.chunks.replace(other.id, [a_chunk(other, 0)])
        uow.commit()
    with uow:
        found = uow.chunks.list_for_documents([second.id, empty.id, uuid.uuid4(), first.id])
        assert [(c.document_id, c.ordinal) for c in found] == [
            (second.id, 0), (second.id, 1), (first.id, 0), (first.id, 1), (first.id, 2)]
        assert found == uow.chunks.list_for_document(second.id) + uow.chunks.list_for_document(first.id)
        assert uow.chunks.list_for_documents([]) == []


def test_chunks_named_by_document_and_ordinal_come_in_the_order_of_the_keys(uow: UnitOfWork) -> None:
    owner = a_user()
    first, second = a_document(owner), a_document(owner)
    stored(uow, owner, documents=(first, second))
    with uow:
        uow.chunks.replace(first.id, [a_chunk(first, i) for i in range(3)])
        uow.chunks.replace(second.id, [a_chunk(second, i) for i in range(2)])
        uow.commit()
    keys = [(second.id, 1), (first.id, 2), (first.id, 7), (uuid.uuid4(), 0), (first.id, 0), (second.id, 1)]
    with uow:
        found = uow.chunks.get_many(keys)
        assert [(c.document_id, c.ordinal) for c in found] == [(second.id, 1), (first.id, 2), (first.id, 0)]
        everything = {(c.document_id, c.ordinal): c for c in uow.chunks.list_for_documents([first.id, second.id])}
        assert found == [everything[(c.document_id, c.ordinal)] for c in found]  # the same chunks, whole
        assert uow.chunks.get_many([]) == []


def test_chunks_come_a_page_at_a_time_within_a_count_and_a_byte_budget(uow: UnitOfWork) -> None:
    owner = a_user()
    document, other = a_document(owner), a_document(owner)
    stored(uow, owner, documents=(document, other))
    texts = ["a" * 10, "ü" * 10, "b" * 100, "c" * 10, "d" * 10]  # "ü" is two bytes in UTF-8
    chunks = [a_chunk(document, i, text=text) for i, text in enumerate(texts)]
    with uow:
        uow.chunks.replace(document.id, list(reversed(chunks)))
        uow.chunks.replace(other.id, [lone := a_chunk(other, 0)])
        uow.commit()
    with uow:
        page = uow.chunks.page_for_document
        assert page(document.id, limit=2, max_bytes=1000) == (chunks[:2], True)
        assert page(document.id, after=1, limit=2, max_bytes=1000) == (chunks[2:4], True)
        assert page(document.id, after=3, limit=2, max_bytes=1000) == (chunks[4:], False)
        assert page(document.id, limit=5, max_bytes=1000) == (chunks, False)
        assert page(document.id, limit=10, max_bytes=30) == (chunks[:2], True)  # 10 + 20 bytes fit, 29 do not
        assert page(document.id, limit=10, max_bytes=29) == (chunks[:1], True)
        assert page(document.id, after=1, limit=10, max_bytes=5) == (chunks[2:3], True)  # the first always comes
        assert page(document.id, after=4, limit=10, max_bytes=1000) == ([], False)
        assert page(uuid.uuid4(), limit=10, max_bytes=1000) == ([], False)
        assert page(other.id, limit=1, max_bytes=1) == ([lone], False)


# --- conversations, events, audit -------------------------------------------------------------


def test_conversations_round_trip_with_citations_newest_first(uow: UnitOfWork) -> None:
    user, other = a_user(), a_user()
    document = a_document(user)
    stored(uow, user, other, documents=(document,))
    citations = [
        Citation(number=1, document_id=document.id, chunk_ordinal=0,
                 locators=(Locator(page=1), Locator(page=2)), quote="the quote"),
        Citation(number=2, document_id=document.id, chunk_ordinal=5,
                 locators=(Locator(sheet="S", cells="B2:B9"),), quote="«cell» text"),
    ]
    rich = a_conversation(user, document, citations=citations, tokens_in=1200, tokens_out=80, cost_usd=0.001234,
                          model="gemini-2.5-flash", latency_ms=843, cached=True, created_at=at(2))
    plain = a_conversation(user, None, created_at=at(1))
    older = a_conversation(user, document, created_at=at(0))
    theirs = a_conversation(other, None, created_at=at(3))
    with uow:
        for conversation in (plain, rich, older, theirs):
            uow.conversations.add(conversation)
        uow.commit()
    with uow:
        assert uow.conversations.list_for_user(user.id) == [rich, plain, older]
        assert uow.conversations.list_for_user(user.id, limit=1) == [rich]
        loaded = uow.conversations.list_for_user(user.id)[0]
        assert loaded.citations == citations and loaded.cached is True and loaded.cost_usd == pytest.approx(0.001234)
        assert uow.conversations.list_for_user(other.id) == [theirs]
        assert uow.conversations.list_for_user(uuid.uuid4()) == []
        assert uow.conversations.get(rich.id) == rich and uow.conversations.get(rich.id).citations == citations
        assert uow.conversations.get(theirs.id) == theirs
        assert uow.conversations.get(uuid.uuid4()) is None


def test_usage_by_day_sums_questions_tokens_and_cost_per_utc_day(uow: UnitOfWork) -> None:
    user, other = a_user(), a_user()
    document = a_document(user)
    stored(uow, user, other, documents=(document,))
    day1, day2 = datetime(2026, 1, 5, 23, 30, tzinfo=UTC), datetime(2026, 1, 6, 0, 30, tzinfo=UTC)
    plus_two = timezone(timedelta(hours=2))  # 01:30 on the 7th at UTC+2 is still the 6th in UTC
    with uow:
        for conversation in (
            a_conversation(user, document, tokens_in=100, tokens_out=10, cost_usd=0.000055, created_at=day1),
            a_conversation(user, None, tokens_in=50, tokens_out=5, cost_usd=0.000025, created_at=day1 + timedelta(minutes=1)),
            a_conversation(user, document, cached=True, created_at=day2),
            a_conversation(user, document, tokens_in=7, tokens_out=3, cost_usd=0.5,
                           created_at=datetime(2026, 1, 7, 1, 30, tzinfo=plus_two)),
            a_conversation(user, document, tokens_in=999, created_at=day1 - timedelta(days=3)),  # before `since`
            a_conversation(other, None, tokens_in=999, created_at=day1),
        ):
            uow.conversations.add(conversation)
        uow.commit()
    with uow:
        usage = uow.conversations.usage_by_day(user.id, since=day1 - timedelta(days=1))
        assert [(u.day.isoformat(), u.questions, u.cached, u.tokens_in, u.tokens_out) for u in usage] == [
            ("2026-01-05", 2, 0, 150, 15), ("2026-01-06", 2, 1, 7, 3)]
        assert [u.cost_usd for u in usage] == [pytest.approx(0.00008), pytest.approx(0.5)]
        assert uow.conversations.usage_by_day(user.id, since=day2) == usage[1:]
        assert uow.conversations.usage_by_day(uuid.uuid4(), since=day1) == []
        everyone = uow.conversations.usage_by_day(None, since=day1 - timedelta(days=1))
        assert [(u.day.isoformat(), u.questions, u.tokens_in) for u in everyone] == [
            ("2026-01-05", 3, 1149), ("2026-01-06", 2, 7)]


def test_usage_report_latency_histogram_and_distinct_users_over_a_period(uow: UnitOfWork) -> None:
    ann, bob, idle = a_user(), a_user(), a_user()
    stored(uow, ann, bob, idle)
    with uow:
        for user, latency, seconds in ((ann, 900, 10), (ann, 5, 20), (ann, 120, 30), (bob, 40, 30),
                                       (bob, 7000, -1), (idle, 1, -50)):  # before `since`: the last two
            uow.conversations.add(a_conversation(user, None, latency_ms=latency, created_at=at(seconds)))
        uow.commit()

    def buckets(*latencies: int) -> dict[int, int]:
        return histogram(latencies)

    with uow:
        report = uow.conversations.usage_report
        assert report(ann.id, since=at(0)).latency_histogram == buckets(5, 120, 900)
        assert report(None, since=at(0)).latency_histogram == buckets(5, 40, 120, 900)
        assert report(None, since=at(-100)).latency_histogram == buckets(1, 5, 40, 120, 900, 7000)
        assert report(bob.id, since=at(30)).latency_histogram == buckets(40)  # since is inclusive
        assert report(idle.id, since=at(0)).latency_histogram == {}
        assert report(None, since=at(0), count_users=True).users == 2
        assert report(None, since=at(-100), count_users=True).users == 3
        assert report(None, since=at(31), count_users=True).users == 0
        assert report(None, since=at(0)).users is None  # not counted unless asked for
        assert [d.questions for d in report(ann.id, since=at(0)).daily] == [3]
        assert report(None, since=at(-100)).daily == tuple(uow.conversations.usage_by_day(None, since=at(-100)))
        with pytest.raises(ValueError, match="everyone"):
            report(ann.id, since=at(0), count_users=True)


def test_events_are_listed_per_user_oldest_first_since_inclusive(uow: UnitOfWork) -> None:
    user, other = a_user(), a_user()
    stored(uow, user, other)
    events = [
        AnalyticsEvent(user_id=user.id, type=EventType.DOCUMENT_UPLOADED, data={"kind": "pdf", "size": 10},
                       created_at=at(20)),
        AnalyticsEvent(user_id=user.id, type=EventType.QUESTION_ANSWERED,
                       data={"cached": False, "nested": {"list": [1, 2.5, None, "é"]}}, created_at=at(10)),
        AnalyticsEvent(user_id=user.id, type=EventType.RATE_LIMITED, created_at=at(30)),
        AnalyticsEvent(user_id=other.id, type=EventType.USER_REGISTERED, data={"channel": "email"}, created_at=at(15)),
        AnalyticsEvent(user_id=None, type=EventType.DOCUMENT_FAILED, data={"code": "x"}, created_at=at(15)),
    ]
    with uow:
        for event in events:
            uow.events.add(event)
        uow.commit()
    with uow:
        assert uow.events.list_for_user(user.id) == [events[1], events[0], events[2]]
        assert uow.events.list_for_user(user.id, since=at(20)) == [events[0], events[2]]
        assert uow.events.list_for_user(user.id, since=at(31)) == []
        assert uow.events.list_for_user(other.id) == [events[3]]
        assert uow.events.list_for_user(user.id)[0].type is EventType.QUESTION_ANSWERED


def test_audit_log_lists_newest_first(uow: UnitOfWork) -> None:
    admin = a_user(role=Role.ADMIN)
    stored(uow, admin)
    entries = [
        AuditEntry(actor_id=admin.id, action="set_tier", target=f"user:{uuid.uuid4()}",
                   data={"from": "free", "to": "premium"}, created_at=at(i))
        for i in range(3)
    ] + [AuditEntry(actor_id=None, action="cli_clear", target="documents", created_at=at(10))]
    with uow:
        for entry in entries:
            uow.audit.add(entry)
        uow.commit()
    with uow:
        assert uow.audit.list() == entries[::-1]
        assert uow.audit.list(limit=2) == [entries[3], entries[2]]


# --- API keys ---------------------------------------------------------------------------------


def an_api_key(user: User, **overrides: object) -> ApiKey:
    secret = uuid.uuid4().hex
    values: dict[str, object] = {"user_id": user.id, "name": "CI server", "prefix": "ak_" + secret[:8],
                                 "hash": (secret * 2)[:64], "created_at": T0}
    return ApiKey(**values | overrides)  # type: ignore[arg-type]


def test_api_keys_round_trip_and_are_found_by_hash(uow: UnitOfWork) -> None:
    user, other = a_user(), a_user()
    stored(uow, user, other)
    plain = an_api_key(user, name="Сервер «1»")
    used = an_api_key(user, last_used_at=at(5), revoked_at=at(9), created_at=at(1))
    with uow:
        uow.api_keys.add(plain)
        uow.api_keys.add(used)
        uow.commit()
    with uow:
        assert uow.api_keys.get(plain.id) == plain
        assert uow.api_keys.get(used.id) == used
        assert uow.api_keys.get_by_hash(plain.hash) == plain
        assert uow.api_keys.get_by_hash(used.hash) == used
        assert uow.api_keys.get_by_hash("0" * 64) is None
        assert uow.api_keys.get(uuid.uuid4()) is None
        loaded = uow.api_keys.get(used.id)
        assert loaded is not None and loaded.revoked_at is not None and loaded.revoked_at.utcoffset() == timedelta(0)


def test_api_keys_are_listed_per_user_newest_first(uow: UnitOfWork) -> None:
    user, other = a_user(), a_user()
    stored(uow, user, other)
    mine = [an_api_key(user, created_at=at(s)) for s in (2, 0, 1, 1)]
    theirs = an_api_key(other)
    with uow:
        for key in (*mine, theirs):
            uow.api_keys.add(key)
        uow.commit()
    with uow:
        assert uow.api_keys.list_for_user(user.id) == sorted(mine, key=lambda k: (k.created_at, str(k.id)),
                                                             reverse=True)
        assert uow.api_keys.list_for_user(other.id) == [theirs]
        assert uow.api_keys.list_for_user(uuid.uuid4()) == []


def test_api_key_revoke_keeps_the_first_time_and_touch_sets_last_used(uow: UnitOfWork) -> None:
    user = a_user()
    stored(uow, user)
    key, untouched = an_api_key(user), an_api_key(user)
    with uow:
        uow.api_keys.add(key)
        uow.api_keys.add(untouched)
        uow.commit()
    with uow:
        uow.api_keys.touch(key.id, at=at(3))
        uow.api_keys.revoke(key.id, at=at(4))
        uow.commit()
    with uow:
        uow.api_keys.revoke(key.id, at=at(8))  # already revoked: nothing changes
        uow.api_keys.touch(key.id, at=at(9))
        uow.api_keys.revoke(uuid.uuid4(), at=at(9))  # unknown: nothing happens
        uow.commit()
    with uow:
        loaded = uow.api_keys.get(key.id)
        assert loaded is not None and (loaded.last_used_at, loaded.revoked_at) == (at(9), at(4))
        assert uow.api_keys.get(untouched.id) == untouched


def test_threads_round_trip_rename_and_page_most_recent_first(uow: UnitOfWork) -> None:
    user, other = a_user(), a_user()
    document = a_document(user)
    stored(uow, user, other, documents=(document,))
    library = Thread.start(user_id=user.id, document_ids=(), now=at(1))
    one = Thread.start(user_id=user.id, document_ids=(document.id, document.id), now=at(2), title="Terms")
    theirs = Thread.start(user_id=other.id, document_ids=(), now=at(3))
    with uow:
        for thread in (library, one, theirs):
            uow.threads.add(thread)
        uow.commit()
    with uow:
        assert uow.threads.get(one.id) == one and one.scope is ThreadScope.DOCUMENT and one.document_ids == (document.id,)
        assert uow.threads.get(library.id).scope is ThreadScope.LIBRARY and uow.threads.get(uuid.uuid4()) is None
        library.rename("  Everything   I asked  ", at(5))
        uow.threads.update(library)
        uow.commit()
    with uow:
        assert uow.threads.get(library.id).title == "Everything I asked"
        assert [t.id for t in uow.threads.list_for_user(user.id)] == [library.id, one.id]  # renamed: most recent
        first = uow.threads.list_for_user(user.id, limit=1)
        assert [t.id for t in uow.threads.list_for_user(user.id, before=(first[0].updated_at, first[0].id))] == [one.id]
        assert [t.id for t in uow.threads.list_for_user(other.id)] == [theirs.id]


def test_a_threads_turns_come_oldest_first_and_go_with_it(uow: UnitOfWork) -> None:
    user = a_user()
    document = a_document(user)
    stored(uow, user, documents=(document,))
    thread, other = (Thread.start(user_id=user.id, document_ids=(document.id,), now=at(0)) for _ in range(2))
    turns = [a_conversation(user, document, question=f"Q{n}?", created_at=at(n), thread_id=thread.id) for n in range(3)]
    elsewhere = a_conversation(user, document, thread_id=other.id, created_at=at(1))
    single = a_conversation(user, document, created_at=at(1))  # asked outside any thread
    with uow:
        uow.threads.add(thread)
        uow.threads.add(other)
        for conversation in (*turns, elsewhere, single):
            uow.conversations.add(conversation)
        uow.commit()
    with uow:
        assert [c.question for c in uow.threads.turns(thread.id)] == ["Q0?", "Q1?", "Q2?"]
        assert [c.question for c in uow.threads.turns(thread.id, last=2)] == ["Q1?", "Q2?"]
        empty = uuid.uuid4()
        assert uow.threads.turn_counts([thread.id, other.id, empty]) == {thread.id: 3, other.id: 1, empty: 0}
        assert uow.threads.turn_counts([]) == {}
        assert uow.conversations.get(turns[1].id).thread_id == thread.id and uow.conversations.get(single.id).thread_id is None
        uow.threads.delete(thread.id)
        uow.commit()
    with uow:
        assert uow.threads.get(thread.id) is None and uow.threads.turns(thread.id) == []
        assert uow.conversations.get(turns[0].id) is None
        assert uow.conversations.get(elsewhere.id) is not None and uow.conversations.get(single.id) is not None


def a_session(user: User, **overrides: object) -> Session:
    values: dict[str, object] = {"user_id": user.id, "channel": SessionChannel.PASSWORD,
                                 "refresh_token_id": uuid.uuid4().hex, "created_at": T0, "refreshed_at": T0,
                                 "expires_at": at(3600)}
    return Session(**values | overrides)  # type: ignore[arg-type]


def test_sessions_round_trip_and_rotate_only_from_the_current_token(uow: UnitOfWork) -> None:
    user = a_user()
    stored(uow, user)
    session = a_session(user, channel=SessionChannel.TELEGRAM_CODE)
    with uow:
        uow.sessions.add(session)
        uow.commit()
    with uow:
        assert uow.sessions.get(session.id) == session
        assert uow.sessions.get(uuid.uuid4()) is None
        assert not uow.sessions.rotate(session.id, spent="not-the-current", successor="b", at=at(1),
                                       expires_at=at(7200))
        assert uow.sessions.rotate(session.id, spent=session.refresh_token_id, successor="b" * 32, at=at(2),
                                   expires_at=at(7200))
        assert not uow.sessions.rotate(session.id, spent=session.refresh_token_id, successor="c", at=at(3),
                                       expires_at=at(9000))  # spent already: the second of two racers loses
        uow.commit()
    with uow:
        loaded = uow.sessions.get(session.id)
        assert loaded is not None
        assert (loaded.refresh_token_id, loaded.refreshed_at, loaded.expires_at) == ("b" * 32, at(2), at(7200))


def test_session_revocation_keeps_the_first_and_ends_rotation(uow: UnitOfWork) -> None:
    user, other = a_user(), a_user()
    stored(uow, user, other)
    first, second, theirs = a_session(user), a_session(user, created_at=at(5)), a_session(other)
    with uow:
        for session in (first, second, theirs):
            uow.sessions.add(session)
        uow.commit()
    with uow:
        assert uow.sessions.revoke(first.id, at=at(10), reason=RevocationReason.LOGOUT)
        assert not uow.sessions.revoke(first.id, at=at(11), reason=RevocationReason.REFRESH_REUSED)
        assert not uow.sessions.rotate(first.id, spent=first.refresh_token_id, successor="x", at=at(12),
                                       expires_at=at(9000))
        assert uow.sessions.revoke_for_user(user.id, at=at(20), reason=RevocationReason.PASSWORD_CHANGED) == [second.id]
        uow.commit()
    with uow:
        mine = uow.sessions.list_for_user(user.id)
        assert [s.id for s in mine] == [second.id, first.id]
        assert [(s.revoked_at, s.revoked_reason) for s in mine] == [
            (at(20), RevocationReason.PASSWORD_CHANGED), (at(10), RevocationReason.LOGOUT)]
        assert uow.sessions.get(theirs.id) == theirs  # another user's session is untouched
        assert uow.sessions.list_for_user(uuid.uuid4()) == []


# --- unit of work -----------------------------------------------------------------------------


def test_nothing_is_kept_without_commit(uow: UnitOfWork) -> None:
    user = a_user()
    with uow:
        uow.users.add(user)
        assert uow.users.get(user.id) == user  # visible inside its own transaction
    with uow:
        assert uow.users.get(user.id) is None


def test_committed_work_is_kept_and_later_work_can_be_rolled_back(uow: UnitOfWork) -> None:
    kept, dropped, after = a_user(), a_user(), a_user()
    with uow:
        uow.users.add(kept)
        uow.commit()
        uow.users.add(dropped)
        uow.rollback()
        assert uow.users.get(dropped.id) is None
        uow.users.add(after)
        uow.commit()
    with uow:
        assert uow.users.get(kept.id) == kept
        assert uow.users.get(dropped.id) is None
        assert uow.users.get(after.id) == after


def test_an_exception_inside_the_block_rolls_back(uow: UnitOfWork) -> None:
    committed, uncommitted = a_user(), a_user()
    with pytest.raises(RuntimeError, match="boom"), uow:
        uow.users.add(committed)
        uow.commit()
        uow.users.add(uncommitted)
        raise RuntimeError("boom")
    with uow:
        assert uow.users.get(committed.id) == committed
        assert uow.users.get(uncommitted.id) is None
        assert uow.users.list() == [committed]
