"""Telling boilerplate (cover pages, contents, signatures, certifications, exhibit indexes) from
the text that answers questions (domain.boilerplate)."""

from __future__ import annotations

import pytest

from domain.boilerplate import boilerplate_marks, is_boilerplate

COVER = """UNITED STATES SECURITIES AND EXCHANGE COMMISSION
FORM 10-Q
Commission File Number: 001-36743
Apple Inc.
(Exact name of Registrant as specified in its charter)
Indicate by check mark whether the Registrant (1) has filed all reports ☒ Yes ☐ No"""

CONTENTS = """TABLE OF CONTENTS
Part I
Item 1. Financial Statements 1
Item 2. Management's Discussion and Analysis 13
Item 3. Quantitative and Qualitative Disclosures About Market Risk 18
Item 4. Controls and Procedures 18"""

CONTENTS_RU = """Содержание
Общие положения 3
Предмет договора 4
Цена договора 7"""

SIGNATURES = """SIGNATURES
Pursuant to the requirements of the Securities Exchange Act of 1934, the Registrant has duly caused this report to
be signed on its behalf by the undersigned thereunto duly authorized.
By: /s/ Luca Maestri
Luca Maestri, Senior Vice President, Chief Financial Officer"""

CERTIFICATION = """CERTIFICATION
I, Timothy D. Cook, certify that:
1. I have reviewed this quarterly report on Form 10-Q of Apple Inc.;
2. Based on my knowledge, this report does not contain any untrue statement of a material fact;
Pursuant to Section 302 of the Sarbanes-Oxley Act of 2002."""

EXHIBITS = """Exhibit Index
Exhibit Number Exhibit Description
31.1* Rule 13a-14(a) / 15d-14(a) Certification of the Chief Executive Officer.
32.1** Section 1350 Certifications of Chief Executive Officer and Chief Financial Officer.
101.INS* Inline XBRL Document filed herewith"""

PROSE = """Total net sales increased 1% during the third quarter of 2023 compared to the same quarter in 2022, driven
by higher net sales of Services. The weakness in foreign currencies relative to the U.S. dollar had an unfavorable
impact on net sales."""

STATEMENT = """CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS (In millions)
|  | Three Months Ended July 1, 2023 | Three Months Ended June 25, 2022 |
|---|---|---|
| Net sales: |  |  |
| Products | 60,584 | 63,355 |
| Services | 21,213 | 19,604 |
| Total net sales | 81,797 | 82,959 |
| Research and development | 7,442 | 6,797 |
| Selling, general and administrative | 6,092 | 6,012 |"""

CERTIFY_ONCE = """The auditors certify the financial statements each year, and management reviews the results of
operations with the audit committee before the quarterly earnings are released to investors."""


@pytest.mark.parametrize(("text", "family", "count"), [
    (COVER, "cover", 5),
    (CONTENTS, "contents", 5),  # the heading and four entries; "Part I" has no page number
    (CONTENTS_RU, "contents", 4),
    (SIGNATURES, "signature", 5),  # "SIGNATURES", "duly caused ... signed" (wrapped), "duly authorized", "By: ", "/s/"
    (CERTIFICATION, "certification", 4),
    (EXHIBITS, "exhibits", 6),
])
def test_each_kind_of_boilerplate_is_flagged_by_its_marks(text: str, family: str, count: int) -> None:
    assert boilerplate_marks(text)[family] == count
    assert is_boilerplate(text)


def test_a_mark_wrapped_across_lines_still_counts() -> None:
    assert boilerplate_marks(SIGNATURES)["signature"] == 5


def test_an_exhibit_index_also_carries_certification_marks() -> None:
    marks = boilerplate_marks(EXHIBITS)
    assert marks == {"cover": 0, "signature": 0, "certification": 3, "exhibits": 6, "contents": 0}


@pytest.mark.parametrize("text", [PROSE, STATEMENT, CERTIFY_ONCE, ""])
def test_ordinary_text_is_not_boilerplate(text: str) -> None:
    assert not is_boilerplate(text)


def test_ordinary_prose_and_a_statement_carry_no_marks() -> None:
    assert set(boilerplate_marks(PROSE).values()) == {0}
    assert set(boilerplate_marks(STATEMENT).values()) == {0}  # table rows are not contents entries


def test_one_certify_is_one_mark_and_not_enough() -> None:
    assert boilerplate_marks(CERTIFY_ONCE)["certification"] == 1


def test_two_families_once_each_are_enough() -> None:
    text = CERTIFY_ONCE + "\nBy: John Smith"
    assert boilerplate_marks(text)["certification"] == 1 and boilerplate_marks(text)["signature"] == 1
    assert is_boilerplate(text)


def test_a_single_family_needs_four_marks() -> None:
    three = "I certify this.\nWe certify that.\nThey certify it."
    assert boilerplate_marks(three)["certification"] == 3
    assert not is_boilerplate(three)
    assert is_boilerplate(three + "\nShe will certify too.")


def test_a_few_lines_ending_in_a_number_are_not_contents() -> None:
    text = "Employees 150\nOffices 12"
    assert boilerplate_marks(text)["contents"] == 2
    assert not is_boilerplate(text + "\nBy: the board")  # contents need three lines to count as a family


def test_contents_entries_have_no_other_digit_and_short_page_numbers() -> None:
    text = "Revenue in 2023 was 12\nNet sales 81797\nItem 1A. Risk Factors 24"
    assert boilerplate_marks(text)["contents"] == 1  # only the "Item 1A." entry


def test_a_pattern_runs_only_when_its_trigger_word_is_present() -> None:
    # "duly authorized" is a signature mark, but only read in a chunk holding a trigger ("duly" is one)
    assert boilerplate_marks("The officer was duly authorized.")["signature"] == 1
    assert boilerplate_marks("Section 906 applies.")["certification"] == 1
