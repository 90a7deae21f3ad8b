"""Text normalisation, question folding and token counting."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from domain.text import count_tokens, normalise, normalise_question, terms

_TRICKY = st.sampled_from([
    "\r\n", "\r", "\n", "\n\n\n\n", " ", "\t", "\u00a0", "\u3000", "\u2028", "\x85", "\x00", "\x07", "\x0b",
    "\x0c", "\x1f", "\x7f", "\u200b", "\ufeff", "-", "-\n", "- \n", "\u0301", "e", "E", "\u1100", "\u1161",
    "\u11a8", "\uac00", "ё", "е\u0308", "x", "1", "_", ".", "?",
])
_TEXTS = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(_TRICKY, st.text(max_size=3)), max_size=30).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(_TEXTS)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_normalised_text_is_clean(text: str) -> None:
    out = normalise(text)
    assert unicodedata.is_normalized("NFC", out)
    assert "\r" not in out and "\n\n\n" not in out
    assert not any(ch in out for ch in "\x00\x07\x0b\x0c\x1f\x7f\u200b\ufeff")
    assert out == out.strip()
    assert all(line == line.strip() for line in out.split("\n"))
    assert "  " not in out


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("line one\r\nline two\rline three", "line one\nline two\nline three"),
        ("infor-\nmation and docu-\r\nments", "information and documents"),
        ("infor- \n  mation", "information"),
        ("a-\nb-\nc", "abc"),
        ("a -\nb", "a -\nb"),  # a dash after a space is not a hyphenation
        ("Year-\nover-year growth", "Year-over-year growth"),  # a compound broken at one of its hyphens
        ("state-of-the-\nart", "state-of-the-art"),
        ("non-\nGAAP measures", "non-GAAP measures"),
        ("Государ-\nственный заказчик", "Государственный заказчик"),
        ("tab\there\x00 and\x07 bell\u200b", "tab here and bell"),
        ("cafe\u0301", "caf\u00e9"),
        ("  lots   of\u00a0space  \n\n\n\n next  ", "lots of space\n\nnext"),
        ("\ufeffBOM", "BOM"),
        ("", ""),
        (" \n\t ", ""),
    ],
)
def test_normalise_examples(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("What is the TOTAL?", "what is the total"),
        ("  what   is\nthe total ?? ", "What is the total"),
        ("Сколько стоит?", "сколько стоит"),
        ("Straße", "STRASSE"),
        ("Done.", "done!"),
    ],
)
def test_normalise_question_folds_case_spacing_and_trailing_punctuation(a: str, b: str) -> None:
    assert normalise_question(a) == normalise_question(b)


def test_normalise_question_keeps_inner_punctuation() -> None:
    assert normalise_question("Is 3.5% right?") == "is 3.5% right"
    assert normalise_question("Who?") != normalise_question("Why?")


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
@example("\u00df\u0301")  # folds to 'ss' + accent: composes only after a second NFC
def test_normalise_question_is_idempotent(text: str) -> None:
    once = normalise_question(text)
    assert normalise_question(once) == once


def test_count_tokens_splits_long_words_and_punctuation() -> None:
    assert count_tokens("") == 0
    assert count_tokens("Hello, world!") == 4
    assert count_tokens("a" * 25) == 3  # 12 + 12 + 1
    assert count_tokens("Договор №5") == 3


def test_terms_are_casefolded_words() -> None:
    assert terms("The Total, TOTAL: Итого!") == ["the", "total", "total", "итого"]
