"""Thread rules: the scope follows the documents, the first question titles a thread that has no
title, a title is one clean line of 1 to 200 characters."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidInput
from domain.threads import TITLE_CHARS, Thread, ThreadScope, title_from

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_the_scope_follows_the_documents() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    user = uuid.uuid4()
    assert Thread.start(user_id=user, document_ids=(), now=NOW).scope is ThreadScope.LIBRARY
    assert Thread.start(user_id=user, document_ids=(a, a), now=NOW).document_ids == (a,)
    assert Thread.start(user_id=user, document_ids=(a, a), now=NOW).scope is ThreadScope.DOCUMENT
    assert Thread.start(user_id=user, document_ids=(b, a, b), now=NOW).document_ids == (b, a)
    assert Thread.start(user_id=user, document_ids=(b, a), now=NOW).scope is ThreadScope.DOCUMENTS


def test_the_first_question_titles_the_thread_and_later_ones_do_not() -> None:
    thread = Thread.start(user_id=uuid.uuid4(), document_ids=(), now=NOW)
    thread.turn_added("  When are\ninvoices   due? ", NOW + timedelta(seconds=1))
    thread.turn_added("And in Riga?", NOW + timedelta(seconds=2))
    assert thread.title == "When are invoices due?" and thread.updated_at == NOW + timedelta(seconds=2)
    named = Thread.start(user_id=uuid.uuid4(), document_ids=(), now=NOW, title="Supplier terms")
    named.turn_added("When are invoices due?", NOW)
    assert named.title == "Supplier terms"


def test_long_questions_are_cut_at_a_word_and_titles_are_checked() -> None:
    title = title_from("word " * 40)
    assert len(title) <= TITLE_CHARS + 1 and title.endswith("word…")
    assert title_from("x" * 300) == "x" * TITLE_CHARS + "…"
    thread = Thread.start(user_id=uuid.uuid4(), document_ids=(), now=NOW)
    for bad in ("", "   ", "y" * 201):
        with pytest.raises(InvalidInput):
            thread.rename(bad, NOW)
