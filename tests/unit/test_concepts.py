"""A question as concepts: its terms, or a vocabulary entry with the phrases documents use
instead (application.concepts, domain.vocabulary), analysed by the Snowball analyzer."""

from __future__ import annotations

import math

import pytest

from adapters.text.snowball import SnowballAnalyzer
from application.concepts import concepts, expanded_terms, holds, weights
from domain.vocabulary import alternatives

ANALYZER = SnowballAnalyzer()


def en(text: str) -> set[str]:
    return set(ANALYZER.terms(text, "en"))


def ru(text: str) -> set[str]:
    return set(ANALYZER.terms(text, "ru"))


# --- vocabulary -------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "expected"), [
    ("How much did Apple spend on the buyback?", [("buyback", ("repurchase", "repurchased", "buyback"))]),
    ("R&D expenses in 2023", [("R&D", ("research and development",))]),
    ("r and d costs", [("r and d", ("research and development",))]),
    ("Какой штраф за просрочку?", [("штраф", ("штраф", "пеня", "неустойка")), ("просрочку", ("просрочка", "задержка"))]),
    ("What if the payment is late?", [("payment", ("оплата", "платеж")), ("late", ("просрочка", "delay"))]),
    ("What if the contractor fails to perform?", [("contractor", ("поставщик", "подрядчик", "исполнитель")),
                                                  ("fails to perform", ("ненадлежащее исполнение", "неисполнение",
                                                                        "breach"))]),
    ("What about the weather?", []),
])
def test_alternatives_name_the_words_used_and_the_phrases_instead(question: str, expected: list) -> None:
    assert alternatives(question) == expected


def test_a_question_can_use_several_entries() -> None:
    assert [words for words, _ in alternatives("What is the penalty for late delivery?")] == ["penalty", "delivery", "late"]


# --- concepts ---------------------------------------------------------------------------

def test_buyback_groups_with_repurchase() -> None:
    [buyback, *rest] = concepts("buyback program", en)
    assert buyback[0] == frozenset({"buyback"})  # the question's own word first
    assert set(buyback) == {frozenset({"buyback"}), frozenset({"repurchas"})}
    assert rest == [(frozenset({"program"}),)]


def test_rnd_groups_with_research_and_development() -> None:
    assert concepts("R&D expenses", en) == [
        (frozenset({"r", "d"}), frozenset({"research", "develop"})),
        (frozenset({"expens"}),),
    ]


def test_penalty_groups_with_the_russian_words_for_it() -> None:
    assert concepts("penalty for late delivery", en) == [
        (frozenset({"penalti"}), frozenset({"штраф"}), frozenset({"пен"}), frozenset({"неустойк"})),
        (frozenset({"deliveri"}), frozenset({"поставк"}), frozenset({"доставк"})),
        (frozenset({"late"}), frozenset({"просрочк"}), frozenset({"delay"})),
    ]


def test_a_russian_question_has_the_variants_in_its_own_terms() -> None:
    assert concepts("Какой штраф за просрочку?", ru) == [
        (frozenset({"штраф"}), frozenset({"пен"}), frozenset({"неустойк"})),
        (frozenset({"просрочк"}), frozenset({"задержк"})),
    ]


def test_terms_outside_the_vocabulary_are_concepts_of_their_own_in_sorted_order() -> None:
    assert concepts("What about the weather in Ohio?", en) == [(frozenset({"ohio"}),), (frozenset({"weather"}),)]
    assert concepts("", en) == []


def test_a_concepts_variants_are_distinct() -> None:
    [buyback, _] = concepts("buyback program", en)
    assert len(buyback) == len(set(buyback))


# --- holds ------------------------------------------------------------------------------

def test_a_text_holds_a_concept_when_it_holds_every_term_of_one_variant() -> None:
    [rnd] = concepts("R&D", en)
    assert holds(rnd, en("Research and development expenses rose"))
    assert holds(rnd, en("R&D spending"))
    assert not holds(rnd, en("Research spending rose"))  # half of a variant is not enough
    assert not holds(rnd, frozenset())


def test_a_buyback_concept_is_held_by_a_text_about_repurchases() -> None:
    [buyback] = concepts("buyback", en)
    assert holds(buyback, en("The company repurchased shares"))
    assert not holds(buyback, en("Shares were sold"))


# --- weights ----------------------------------------------------------------------------

def test_weights_are_inverse_frequencies_over_the_units() -> None:
    found = concepts("buyback program", en)
    units = [en("repurchase of shares"), en("the program of shares"), en("program costs"), en("the weather")]
    assert weights(found, units) == [(math.log(1 + 5 / 2), True), (math.log(1 + 5 / 3), True)]


def test_a_concept_no_unit_holds_weighs_as_the_rarest() -> None:
    found = concepts("weather", en)
    assert weights(found, [en("sales"), en("costs")]) == [(math.log(1 + 3 / 1), False)]
    assert weights(found, []) == [(math.log(2), False)]


def test_a_rare_concept_weighs_more_than_a_common_one() -> None:
    found = concepts("net sales in Ohio", en)
    units = [en("net sales in Texas"), en("net sales in Ohio"), en("net sales grew")]
    by_term = {next(iter(c[0])): w for c, (w, _) in zip(found, weights(found, units), strict=True)}
    assert by_term["ohio"] > by_term["sale"]


def test_expanded_terms_put_the_questions_own_terms_first() -> None:
    assert expanded_terms(concepts("R&D and buyback", en)) == ["buyback", "d", "r", "repurchas", "develop", "research"]
