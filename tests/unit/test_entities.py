"""Behaviour of the entities: users, documents, conversations, errors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.conversations import Citation, cited_numbers
from domain.documents import Document, DocumentKind, DocumentStatus, clean_filename
from domain.errors import DocumentFailed, DocumentNotReady, RateLimited, UserBanned, UserInactive
from domain.locators import Locator
from domain.users import Role, User, UserStatus, normalise_email

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def make_user(**kw: object) -> User:
    return User(created_at=NOW, updated_at=NOW, **kw)


def make_document(**kw: object) -> Document:
    fields = dict(owner_id=uuid.uuid4(), filename="a.pdf", kind=DocumentKind.PDF, size=10, sha256="0" * 64,
                  storage_key="k", created_at=NOW, updated_at=NOW)
    return Document(**(fields | kw))


# --- users -------------------------------------------------------------------------------


def test_an_active_user_passes() -> None:
    make_user().ensure_active()


@pytest.mark.parametrize(("status", "error", "code"), [(UserStatus.BANNED, UserBanned, "user_banned"),
                                                       (UserStatus.INACTIVE, UserInactive, "user_inactive")])
def test_ensure_active_refuses_banned_and_inactive_users(status: UserStatus, error: type, code: str) -> None:
    with pytest.raises(error) as caught:
        make_user(status=status).ensure_active()
    assert caught.value.code == code


def test_user_roles_and_display_names() -> None:
    assert make_user(role=Role.ADMIN).is_admin and not make_user().is_admin
    assert make_user(username="ann", email="a@x.io").display_name == "ann"
    assert make_user(email="a@x.io").display_name == "a@x.io"
    assert make_user(telegram_id=42).display_name == "tg:42"
    user = make_user()
    assert user.display_name == str(user.id)


def test_normalise_email() -> None:
    assert normalise_email("  Ann@Example.COM ") == "ann@example.com"


def test_password_hash_is_not_in_the_repr() -> None:
    assert "secret-hash" not in repr(make_user(password_hash="secret-hash"))


# --- documents ---------------------------------------------------------------------------


def test_document_life_cycle() -> None:
    document = make_document()
    assert document.status is DocumentStatus.PENDING
    later = NOW + timedelta(seconds=5)
    document.start_processing(later)
    assert document.status is DocumentStatus.PROCESSING and document.updated_at == later
    document.report_progress(2, 4, later)
    assert (document.progress_done, document.progress_total) == (2, 4)
    document.report_progress(-1, -3, later)
    assert (document.progress_done, document.progress_total) == (0, 0)
    document.complete(text="hello", page_count=3, now=later)
    assert document.status is DocumentStatus.COMPLETED
    assert (document.extracted_text, document.page_count) == ("hello", 3)
    assert document.progress_done == document.progress_total == 1
    document.ensure_answerable()


def test_failure_and_reprocessing_clears_the_error() -> None:
    document = make_document()
    document.start_processing(NOW)
    document.fail(code="file_corrupt", message="The PDF is damaged.", now=NOW)
    assert document.status is DocumentStatus.FAILED
    assert (document.error_code, document.error_message) == ("file_corrupt", "The PDF is damaged.")
    document.start_processing(NOW)
    assert document.status is DocumentStatus.PROCESSING
    assert document.error_code is None and document.error_message is None


@pytest.mark.parametrize("status", [DocumentStatus.PENDING, DocumentStatus.PROCESSING])
def test_an_unfinished_document_is_not_answerable(status: DocumentStatus) -> None:
    document = make_document(status=status)
    with pytest.raises(DocumentNotReady) as caught:
        document.ensure_answerable()
    assert caught.value.code == "document_not_ready"
    assert caught.value.details == {"document_id": str(document.id), "document_status": status.value}


def test_a_failed_document_is_not_answerable_and_says_why() -> None:
    document = make_document(status=DocumentStatus.FAILED, error_code="file_encrypted", error_message="Locked.")
    with pytest.raises(DocumentFailed) as caught:
        document.ensure_answerable()
    assert caught.value.details["reason"] == "file_encrypted"
    assert "Locked." in caught.value.message


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("report.pdf", "report.pdf"),
        ("/etc/passwd", "passwd"),
        ("../../secret.txt", "secret.txt"),
        ("C:\\Users\\ann\\Desktop\\Q3 report.xlsx", "Q3 report.xlsx"),
        ("bad\x00name\x1b[31m.txt\n", "badname[31m.txt"),
        ("  spaced.docx  ", "spaced.docx"),
        ("..", "document"),
        ("", "document"),
        ("dir/", "document"),
        ("\u202etxt.exe", "txt.exe"),  # a right-to-left override is a format character, not printable
        ("Отчёт за квартал.pdf", "Отчёт за квартал.pdf"),
    ],
)
def test_clean_filename(raw: str, clean: str) -> None:
    assert clean_filename(raw) == clean


def test_clean_filename_caps_the_length_and_takes_a_default() -> None:
    assert len(clean_filename("x" * 500 + ".pdf")) == 200
    assert clean_filename("///", default="upload") == "upload"


# --- conversations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "numbers"),
    [
        ("Revenue grew [1]. Costs fell [3][2]. As said [1].", [1, 3, 2]),
        ("No citations at all.", []),
        ("Odd forms [a] [1.5] [ 2 ] [1234] [007]", [7]),
        ("Adjacent [12][4]", [12, 4]),
    ],
)
def test_cited_numbers(answer: str, numbers: list[int]) -> None:
    assert cited_numbers(answer) == numbers


def test_citation_dict_round_trip() -> None:
    citation = Citation(number=2, document_id=uuid.uuid4(), chunk_ordinal=5,
                        locators=(Locator(page=3), Locator(page=4)), quote="Total: 42")
    data = citation.to_dict()
    assert data["label"] == "pages 3-4"
    assert Citation.from_dict(data) == citation


# --- errors ------------------------------------------------------------------------------


def test_rate_limited_carries_its_window() -> None:
    error = RateLimited("slow down", window="minute", limit=10, reset_at=NOW)
    assert error.code == "rate_limited" and error.window == "minute" and error.reset_at == NOW
    assert error.details == {"window": "minute", "limit": 10, "reset_at": NOW.isoformat()}
    assert str(error) == error.message == "slow down"
