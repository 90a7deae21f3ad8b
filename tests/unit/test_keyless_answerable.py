"""What the keyless answerer weighs beside the question's words: what a who / when / where
question asks for (application.keyless.answer_type), whether the best sentence answers at all
(application.keyless.answerable, with the swapped words of application.keyless.swaps), and the
items of a contract's numbered list (units)."""

from __future__ import annotations

import attrs

from adapters.text.snowball import SnowballAnalyzer
from application.keyless.answer_type import NUMBERS_BONUS, YEAR_BONUS, AnswerType
from application.keyless.answerable import Evidence
from application.keyless.answerer import KeylessAnswerer
from application.keyless.swaps import swapped
from application.keyless.units import sentences
from application.ports.language_model import Source

ANALYZER = SnowballAnalyzer()


def terms(text: str) -> set[str]:
    return set(ANALYZER.terms(text, "en"))


ROLLO = ("They were descended from Norse raiders and pirates from Denmark, Iceland and Norway who, under their "
         "leader Rollo, agreed to swear fealty to King Charles III of West Francia.")
IDENTITY = ("The distinct cultural and ethnic identity of the Normans emerged initially in the first half of "
            "the 10th century, and it continued to evolve over the succeeding centuries.")


def test_a_who_question_prefers_a_sentence_naming_someone_the_question_does_not() -> None:
    kind = AnswerType("Who was the leader of the Norse raiders?", terms)
    assert kind.holds(ROLLO)  # Rollo, Denmark ... are not in the question
    assert not kind.holds("The leader of the Norse raiders agreed to swear fealty.")
    assert kind.bonus(ROLLO) > kind.bonus("The leader of the Norse raiders agreed to swear fealty.")


def test_the_first_word_of_a_sentence_is_not_a_name() -> None:
    assert not AnswerType("Who agreed to swear fealty?", terms).holds("Raiders agreed to swear fealty.")


def test_a_when_question_is_answered_by_a_century_a_year_or_a_deadline() -> None:
    kind = AnswerType("When did the identity of the Normans emerge?", terms)
    assert kind.bonus(IDENTITY) == YEAR_BONUS
    assert kind.holds("Invoices are payable within 30 days of receipt.")
    assert kind.holds("The next meeting is on Friday.")
    assert not kind.holds("The identity of the Normans emerged slowly and it may still evolve.")


def test_the_question_s_own_numbers_count_but_not_its_period() -> None:
    regiment = "The Huguenots furnished two new regiments: the Infantry Regiments No. 13 and 15."
    assert AnswerType("Who commanded Regiment No. 13?", terms).bonus(regiment) >= NUMBERS_BONUS
    # "fiscal 2024" is the period, answered by a table's column, not by a sentence repeating the year
    assert AnswerType("What was revenue in fiscal 2024?", terms).bonus("Revenue grew in fiscal 2024.") == 0.0


def test_a_question_without_a_wh_word_asks_for_no_kind() -> None:
    kind = AnswerType("What kind of arches does Norman architecture have?", terms)
    assert kind.kind == "" and kind.holds("Arches.") and kind.bonus(ROLLO) == 0.0


CLEAR = Evidence(margin=0.3, missing=0.1, missing_name=False, missing_number=False, cosine=0.6, negated=False,
                 lacks_type=False)


def test_a_sentence_holding_the_whole_question_clearly_first_answers() -> None:
    assert CLEAR.answers()


def test_each_sign_of_an_unanswerable_question_lowers_the_probability() -> None:
    for change in ({"missing": 0.6}, {"missing_name": True}, {"missing_number": True}, {"negated": True},
                   {"lacks_type": True}, {"margin": 0.0}, {"cosine": 0.2}):
        assert attrs.evolve(CLEAR, **change).probability() < CLEAR.probability(), change


def test_a_negated_question_on_a_passage_that_holds_half_of_it_is_not_answered() -> None:
    assert not attrs.evolve(CLEAR, negated=True, missing=0.5, margin=0.05).answers()


def test_without_a_model_the_cosine_is_its_mean() -> None:
    assert attrs.evolve(CLEAR, cosine=None).answers()


def test_a_clause_numbered_under_its_lead_is_an_item_of_its_list() -> None:
    text = ("9.2. Государственный заказчик вправе в одностороннем порядке отказаться от исполнения Контракта в "
            "следующих случаях:\n\n9.2.1. Нарушение сроков, установленных пунктом 2.1 Контракта.\n\n"
            "9.3. Подрядчик вправе потребовать возмещения убытков.")
    found = {s.text: s.lead for s in sentences((Source(number=1, label="p. 1", text=text),))}
    assert found["Нарушение сроков, установленных пунктом 2.1 Контракта."].startswith("9.2. Государственный")
    assert found["Подрядчик вправе потребовать возмещения убытков."] == ""  # 9.3 is the next clause


def test_an_embedding_model_that_fails_answers_as_no_model_does() -> None:
    def broken(question: str, texts: list[str]) -> list[float]:
        raise RuntimeError("model file unreadable")

    sources = (Source(number=1, label="p. 1", text=f"{ROLLO}\n\n{IDENTITY}"),)
    question = "Who was the leader of the Norse raiders?"
    alone = KeylessAnswerer(terms).answer(question, sources, "en")
    assert alone is not None and "Rollo" in alone
    assert KeylessAnswerer(terms, broken).answer(question, sources, "en") == alone


def test_a_sentence_saying_the_opposite_of_what_is_asked_does_not_answer() -> None:
    ports = ("Of all the cities on the coast, Rotterdam has the largest harbour and the deepest channel. "
             "Bruges is the smallest of the old trading towns and lies inland.")
    assert "Rotterdam" in (answer_of("Which city on the coast has the largest harbour?", ports) or "")
    # without the antonym rule this is answered with the Rotterdam sentence
    assert answer_of("Which city on the coast has the smallest harbour?", ports) is None


def test_an_antonym_counts_only_when_the_question_lacks_it_too() -> None:
    assert swapped("the smallest harbour?", "It has the largest harbour.", terms)
    # the question names both sides, or the sentence holds the asked word as well: no swap
    assert not swapped("the largest or smallest harbour?", "It has the largest harbour.", terms)
    assert not swapped("the largest harbour?", "It has the largest harbour, not the smallest.", terms)


def test_a_number_an_ordinal_or_a_negating_prefix_swapped() -> None:
    assert swapped("Who issued the Royal Proclamation of 1736?", "King George III issued the Royal Proclamation of 1763.",
                   terms)
    assert not swapped("Who issued the Royal Proclamation of 1763?", "King George III issued the Royal Proclamation of "
                       "1763 on October 7.", terms)
    assert swapped("Whom does the Second Minister choose?", "The First Minister chooses the ministers.", terms)
    assert swapped("How are packets delivered on a non-shared medium?", "On a shared medium packets are delivered "
                   "by a multiple access scheme.", terms)
    assert not swapped("How are packets delivered on a shared medium?", "On a shared medium packets are delivered "
                       "by a multiple access scheme.", terms)
    # a how-much question's answer is another number; a date in the sentence is no number swapped
    assert not swapped("How much of the $90 billion buyback authorization had Apple used by June 25, 2022?",
                       "As of June 25, 2022, utilization under the authorization was $4.1 billion.", terms)
    assert not swapped("Who chaired the board in 1990?", "She chaired the board from May 12, 1990.", terms)
    # the question's period is the table columns' business, not a number to find in the sentence
    assert not swapped("What was revenue for the three months ended July 1, 2023?", "Revenue grew 8% against 2022.",
                       terms)


def answer_of(question: str, text: str) -> str | None:
    sources = (Source(number=1, label="source 1", text=text),)
    return KeylessAnswerer(terms).answer(question, sources, "en")
