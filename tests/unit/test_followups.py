"""Keyless follow-ups: what a short or anaphoric question keeps of the one before it."""

from __future__ import annotations

import pytest

from domain.followups import is_followup, standalone

TALLINN = "How many units of KX-22 are at the Tallinn depot?"


@pytest.mark.parametrize(("previous", "follow_up", "present", "absent"), [
    (TALLINN, "And how many at the Riga depot?", ["Riga", "KX-22"], ["Tallinn"]),
    (TALLINN, "And KX-19?", ["KX-19", "Tallinn", "units"], ["KX-22"]),
    ("Сколько единиц KX-22 на складе в Таллине?", "а в Риге?", ["Риге", "KX-22", "складе"], ["Таллине"]),
    ("What were iPhone net sales in the three months ended July 1, 2023?", "And what about the previous quarter?",
     ["iPhone", "net", "sales", "previous quarter"], ["July", "2023"]),
    ("What was the effective tax rate in fiscal 2023?", "How does that compare with a year earlier?",
     ["effective", "tax", "rate", "2022"], ["2023"]),
    ("What are the payment terms of the Tallinn contract?", "And the penalty?", ["penalty", "Tallinn"], ["payment"]),
    # names in mixed case, and the subject kept when only the name changes
    ("How much revenue did the iPhone bring in this quarter?", "And the Mac?", ["Mac", "revenue", "this quarter"],
     ["iPhone"]),
    # a follow-up opening with a preposition replaces what followed it in the question before
    ("What is the unit price of the steel toe boots?", "And of the white hard hat?", ["unit", "price", "hard"],
     ["steel", "boots"]),
    # "a year earlier" keeps the period asked about, a year back (the quarter's end day dropped)
    ("What was NVIDIA's revenue for the three months ended October 29, 2023?", "And a year earlier?",
     ["three months ended October 2022", "revenue"], ["2023", "29"]),
    # an acronym is what is asked about, not a name
    ("На какую сумму оказаны услуги по акту?", "А НДС?", ["НДС"], ["сумму"]),
])
def test_a_follow_up_keeps_what_it_does_not_replace(previous: str, follow_up: str, present: list[str],
                                                    absent: list[str]) -> None:
    resolved = standalone(follow_up, previous)
    for word in present:
        assert word in resolved, resolved
    for word in absent:
        assert word not in resolved.split(), resolved


def test_a_question_that_stands_on_its_own_is_kept_as_it_is() -> None:
    question = "What is the penalty for late delivery according to the contract signed with Baltic Freight in 2021?"
    assert not is_followup(question)
    assert standalone(question, TALLINN) == question
    assert standalone("And in Riga?", None) == "And in Riga?"  # nothing before it
