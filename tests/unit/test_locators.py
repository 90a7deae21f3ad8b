"""Locator labels, their dict form and merged labels for runs of locators."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.locators import RUSSIAN, Locator, locator_words, merge_label


@pytest.mark.parametrize(
    ("locator", "label"),
    [
        (Locator(page=12), "page 12"),
        (Locator(sheet="Sheet1", cells="B4:D9"), "Sheet1!B4:D9"),
        (Locator(sheet="Budget"), "sheet Budget"),
        (Locator(section="2.3 Payment terms"), 'section "2.3 Payment terms"'),
        (Locator(section="Terms", paragraph=4), 'section "Terms", paragraph 4'),
        (Locator(paragraph=7), "paragraph 7"),
        (Locator(start_seconds=83, end_seconds=100), "01:23-01:40"),
        (Locator(start_seconds=3725.9, end_seconds=3790), "1:02:05-1:03:10"),
        (Locator(start_seconds=5), "00:05-00:05"),
        (Locator(line_start=3, line_end=9), "lines 3-9"),
        (Locator(line_start=3), "line 3"),
        (Locator(line_start=3, line_end=3), "line 3"),
        (Locator(page=2, line_start=10, line_end=12), "page 2, lines 10-12"),
        (Locator(), "document"),
    ],
)
def test_labels(locator: Locator, label: str) -> None:
    assert locator.label() == label


_LOCATORS = st.builds(
    Locator,
    page=st.none() | st.integers(1, 10_000),
    sheet=st.none() | st.text(min_size=1, max_size=20),
    cells=st.none() | st.sampled_from(["A1", "B4:D9", "AA10:AB20"]),
    section=st.none() | st.text(max_size=30),
    paragraph=st.none() | st.integers(1, 10_000),
    line_start=st.none() | st.integers(1, 10_000),
    line_end=st.none() | st.integers(1, 10_000),
    start_seconds=st.none() | st.floats(0, 1e5, allow_nan=False),
    end_seconds=st.none() | st.floats(0, 1e5, allow_nan=False),
)


@settings(max_examples=200, deadline=None)
@given(_LOCATORS)
def test_dict_round_trip_through_json(locator: Locator) -> None:
    data = locator.to_dict()
    assert None not in data.values()
    assert Locator.from_dict(json.loads(json.dumps(data))) == locator
    assert isinstance(locator.label(), str) and locator.label()


def test_to_dict_leaves_out_unset_fields_and_from_dict_ignores_unknown_keys() -> None:
    assert Locator(page=3).to_dict() == {"page": 3}
    assert Locator.from_dict({"page": 3, "future_field": 1}) == Locator(page=3)


@pytest.mark.parametrize(
    ("locators", "label"),
    [
        ([], "document"),
        ([Locator(page=3)], "page 3"),
        ([Locator(page=3), Locator(page=3)], "page 3"),
        ([Locator(page=3), Locator(page=4)], "pages 3-4"),
        ([Locator(page=3), Locator(page=4), Locator(page=7)], "pages 3-7"),
        ([Locator(line_start=1, line_end=4), Locator(line_start=5, line_end=9)], "lines 1-9"),
        ([Locator(line_start=1), Locator(line_start=5)], "lines 1-5"),
        ([Locator(start_seconds=0, end_seconds=10), Locator(start_seconds=10, end_seconds=83)], "00:00-01:23"),
        ([Locator(section="Terms", paragraph=2), Locator(section="Terms", paragraph=5)],
         'section "Terms", paragraphs 2-5'),
        ([Locator(paragraph=2), Locator(paragraph=5)], "paragraphs 2-5"),
        ([Locator(sheet="S", cells="A1:B2"), Locator(sheet="S", cells="A3:B4")], "S!A1:B2 to S!A3:B4"),
    ],
)
def test_merge_label(locators: list[Locator], label: str) -> None:
    assert merge_label(locators) == label
    assert merge_label(tuple(locators)) == label


@pytest.mark.parametrize(
    ("locators", "label"),
    [
        ([], "документ"),
        ([Locator(page=12)], "стр. 12"),
        ([Locator(page=3), Locator(page=4)], "стр. 3-4"),
        ([Locator(sheet="Лист1", cells="B4:D9")], "Лист1!B4:D9"),
        ([Locator(sheet="Бюджет")], "лист Бюджет"),
        ([Locator(section="2.3 Цена", paragraph=4)], "раздел «2.3 Цена», абзац 4"),
        ([Locator(section="Цена", paragraph=2), Locator(section="Цена", paragraph=5)], "раздел «Цена», абзацы 2-5"),
        ([Locator(line_start=6)], "строка 6"),
        ([Locator(page=2, line_start=10, line_end=12)], "стр. 2, строки 10-12"),
        ([Locator(start_seconds=83, end_seconds=100)], "01:23-01:40"),
        ([Locator(sheet="S", cells="A1:B2"), Locator(sheet="S", cells="A3:B4")], "S!A1:B2 — S!A3:B4"),
    ],
)
def test_russian_labels(locators: list[Locator], label: str) -> None:
    assert merge_label(locators, RUSSIAN) == label


@pytest.mark.parametrize(("language", "page"), [("ru", "стр. 5"), ("ru-RU", "стр. 5"), ("RU", "стр. 5"),
                                                ("en", "page 5"), ("de", "page 5"), (None, "page 5"), ("", "page 5")])
def test_label_words_by_language_with_english_for_the_rest(language: str | None, page: str) -> None:
    assert Locator(page=5).label(locator_words(language)) == page


def test_a_section_title_with_braces_is_shown_as_written() -> None:
    assert Locator(section="{0} and {x}").label(RUSSIAN) == "раздел «{0} and {x}»"
