"""The bot's pure parts: HTML answers split at Telegram's limit, and the two catalogs."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from domain.conversations import Citation, Conversation
from domain.locators import Locator
from entrypoints.bot import messages_en, messages_ru
from entrypoints.bot.formatting import MESSAGE_LIMIT, render_answer
from entrypoints.bot.i18n import error_text, language_of, t
from entrypoints.cli.errors import EXIT_CODES

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def conversation(answer: str, quotes: int = 1) -> Conversation:
    citations = [Citation(number=n, document_id=uuid.uuid4(), chunk_ordinal=n, locators=(Locator(page=n),),
                          quote=f"quote <{n}> & more") for n in range(1, quotes + 1)]
    return Conversation(user_id=uuid.uuid4(), document_id=None, question="q", answer=answer, citations=citations,
                        model="offline", latency_ms=1, created_at=NOW)


def test_the_answer_is_escaped_marks_are_bold_and_sources_listed() -> None:
    [message] = render_answer(conversation("Pay <now> & later [1]."), "<b>Sources</b>")
    assert message.startswith("Pay &lt;now&gt; &amp; later <b>[1]</b>.")
    assert "<b>Sources</b>\n[1] page 1: <i>“quote &lt;1&gt; &amp; more”</i>" in message


def test_sources_are_labelled_in_the_answers_language() -> None:
    [message] = render_answer(conversation("Платите сейчас [1]."), "<b>Источники</b>", language="ru")
    assert "<b>Источники</b>\n[1] стр. 1: <i>" in message


@given(st.text(alphabet=st.sampled_from("ab <>&[]1\n"), min_size=0, max_size=20000))
def test_every_part_fits_and_no_tag_or_entity_is_cut(answer: str) -> None:
    parts = render_answer(conversation(answer, quotes=3), "<b>Sources</b>")
    for part in parts:
        assert len(part) <= MESSAGE_LIMIT
        assert part.count("<b>") == part.count("</b>") and part.count("<i>") == part.count("</i>")
        assert not re.search(r"&[a-z]*$", part)


def test_a_long_answer_is_split_into_several_messages() -> None:
    parts = render_answer(conversation("word " * 3000), "S")
    assert len(parts) >= 4 and "".join(parts).count("word") == 3000


def test_both_catalogs_have_the_same_keys_and_every_error_code() -> None:
    assert messages_en.TEXTS.keys() == messages_ru.TEXTS.keys()
    assert messages_en.ERRORS.keys() == messages_ru.ERRORS.keys()
    for code in EXIT_CODES:
        assert code in messages_en.ERRORS and code in messages_ru.ERRORS, code


def test_language_from_telegram_and_fallbacks() -> None:
    assert (language_of("ru-RU"), language_of("en-GB"), language_of("de"), language_of(None)) == ("ru", "en",
                                                                                                  "en", "en")
    assert t("de", "cancelled") == "Cancelled."
    assert error_text("ru", "no_such_code") == messages_ru.ERRORS["domain_error"]
    assert error_text("en", "rate_limited") == messages_en.ERRORS["domain_error"]  # missing values: generic


def test_a_long_passage_is_split_into_pieces_that_fit_a_message() -> None:
    from entrypoints.bot.formatting import split_passage

    text = "\n\n".join(f"Paragraph {n} " + "word & more " * 60 for n in range(20))
    pieces = split_passage(text, budget=1000)
    assert all(len(html.escape(p)) <= 1000 for p in pieces) and len(pieces) > 5
    assert " ".join(" ".join(p.split()) for p in pieces) == " ".join(text.split())  # nothing lost
    token = "x" * 2500  # one token longer than a piece: cut anyway, nothing lost
    assert "".join(split_passage(token, budget=1000)) == token
    assert split_passage("short") == ["short"]
