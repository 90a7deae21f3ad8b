"""Re-ranking candidates by what the question asks (application.retrieval.rerank) and filling the
context budget (application.retrieval.context)."""

from __future__ import annotations

import uuid

import pytest

from adapters.text.snowball import SnowballAnalyzer
from application.concepts import concepts
from application.retrieval.context import assemble, within_budget
from application.retrieval.rerank import BOILERPLATE, WEIGHTS, Candidate, rerank
from domain.chunks import Chunk
from domain.locators import Locator
from domain.questions import content, profile

ANALYZER = SnowballAnalyzer()
DOCUMENT = uuid.uuid4()

TABLE = """(In millions)
|  | Three Months Ended July 1, 2023 | Three Months Ended June 25, 2022 |
|---|---|---|
| Total net sales | 81,797 | 82,959 |
| Research and development | 7,442 | 6,797 |"""
SPREAD = """Net income was strong in the period. Sales of Mac fell sharply.
The quarter saw many changes. Services revenue grew. Total headcount rose. July 1, 2023 was a Saturday."""
QUESTION = "What were total net sales in the three months ended July 1, 2023?"


def analyze(text: str) -> list[str]:
    return ANALYZER.terms(text, "en")


def chunk(text: str, ordinal: int = 0, tokens: int = 10) -> Chunk:
    return Chunk(document_id=DOCUMENT, ordinal=ordinal, text=text, locators=(Locator(page=ordinal + 1),),
                 start=0, end=len(text), token_count=tokens)


def ranked(question: str, *candidates: Candidate) -> list:  # noqa: ANN401
    wanted = concepts(content(question), lambda t: set(analyze(t)))
    return rerank(candidates, wanted, profile(question), analyze, "en")


def scores(question: str, *candidates: Candidate) -> dict[int, float]:
    return {r.chunk.ordinal: r.score for r in ranked(question, *candidates)}


# --- rerank -----------------------------------------------------------------------------

def test_a_row_holding_the_questions_words_with_its_header_outranks_a_spread_chunk() -> None:
    table, spread = chunk(TABLE, 0), chunk(SPREAD, 1)
    first, second = ranked(QUESTION, Candidate(spread, 1.0), Candidate(table, 1.0))
    assert (first.chunk, second.chunk) == (table, spread)
    assert first.line == 1.0  # the row "Total net sales" with its header holds every concept
    assert second.line < 0.5


def test_the_line_feature_counts_the_section_row_above() -> None:
    sectioned = chunk("|  | 2023 |\n|---|---|\n| Revenue: |  |\n| Gaming | 2,856 |", 0)
    flat = chunk("|  | 2023 |\n|---|---|\n| Gaming | 2,856 |\n| Revenue | 9,000 |", 1)
    assert ranked("Gaming revenue?", Candidate(sectioned, 1.0))[0].line == 1.0  # "Gaming" under "Revenue:"
    assert ranked("Gaming revenue?", Candidate(flat, 1.0))[0].line < 1.0  # no one row holds both


def test_boilerplate_keeps_a_share_of_its_score() -> None:
    plain, marked = chunk(TABLE, 0), chunk(TABLE, 1)
    by_ordinal = scores(QUESTION, Candidate(marked, 1.0, boilerplate=True), Candidate(plain, 1.0))
    assert by_ordinal[1] == pytest.approx(BOILERPLATE * by_ordinal[0])
    assert [r.chunk.ordinal for r in ranked(QUESTION, Candidate(marked, 1.0, boilerplate=True),
                                            Candidate(plain, 1.0))] == [0, 1]


def test_the_period_feature_rewards_the_date_asked() -> None:  # every chunk holds a number: the same "number"
    dated = chunk("Total net sales rose 5% in the quarter ended July 1, 2023.", 0)
    undated = chunk("Total net sales rose 5% in the quarter ended last summer.", 1)
    year_only = chunk("Total net sales rose 5% in the quarter ended in 2023 summer.", 2)
    by_ordinal = scores("Total net sales for the quarter ended July 1, 2023?", Candidate(dated, 1.0),
                        Candidate(undated, 1.0), Candidate(year_only, 1.0))
    assert by_ordinal[0] - by_ordinal[1] == pytest.approx(WEIGHTS["period"] * 1.0)
    assert by_ordinal[2] - by_ordinal[1] == pytest.approx(WEIGHTS["period"] * 0.3)


def test_the_period_feature_matches_a_date_spelt_the_russian_way() -> None:
    dotted = chunk("Выручка на 01.07.2023 выросла на 5%.", 0)
    worded = chunk("Выручка на 1 июля 2023 выросла на 5%.", 1)
    other = chunk("Выручка на начало года выросла на 5%.", 2)
    by_ordinal = scores("Выручка на 1 июля 2023?", Candidate(dotted, 1.0), Candidate(worded, 1.0),
                        Candidate(other, 1.0))
    assert by_ordinal[0] == pytest.approx(by_ordinal[1])
    assert by_ordinal[0] - by_ordinal[2] == pytest.approx(WEIGHTS["period"])


def test_a_year_asked_weighs_half() -> None:
    with_year = chunk("Revenue grew 5% in 2022.", 0)
    without = chunk("Revenue grew 5% in spring.", 1)
    by_ordinal = scores("Revenue in 2022?", Candidate(with_year, 1.0), Candidate(without, 1.0))
    assert by_ordinal[0] - by_ordinal[1] == pytest.approx(WEIGHTS["period"] * 0.5)


def test_the_number_feature_for_a_how_much_question() -> None:
    with_number = chunk("Research and development cost 7,442.", 0)
    without = chunk("Research and development cost a lot.", 1)
    by_ordinal = scores("How much was research and development?", Candidate(with_number, 1.0),
                        Candidate(without, 1.0))
    assert by_ordinal[0] - by_ordinal[1] == pytest.approx(WEIGHTS["number"])
    by_ordinal = scores("Who leads research and development?", Candidate(with_number, 1.0), Candidate(without, 1.0))
    assert by_ordinal[0] == pytest.approx(by_ordinal[1])


def test_the_fused_score_counts_relative_to_the_best() -> None:
    a, b = chunk("Revenue grew.", 0), chunk("Revenue grew.", 1)
    by_ordinal = scores("Revenue?", Candidate(a, 0.02), Candidate(b, 0.01))
    assert by_ordinal[0] - by_ordinal[1] == pytest.approx(WEIGHTS["fused"] * 0.5)


def test_ties_keep_the_order_given_and_no_candidates_rank_nothing() -> None:
    a, b = chunk("Revenue grew.", 0), chunk("Revenue grew.", 1)
    assert [r.chunk.ordinal for r in ranked("Revenue?", Candidate(b, 1.0), Candidate(a, 1.0))] == [1, 0]
    assert ranked("Revenue?") == []


# --- assemble / within_budget -----------------------------------------------------------

def sized(*tokens: int) -> list[Chunk]:
    return [chunk(f"chunk {i}", i, t) for i, t in enumerate(tokens)]


def ordinals(chunks: list[Chunk]) -> list[int]:
    return [c.ordinal for c in chunks]


def test_assemble_takes_the_best_chunks_while_they_fit() -> None:
    assert ordinals(assemble(sized(40, 30, 20, 50), 100)) == [0, 1, 2]


def test_assemble_skips_one_that_does_not_fit_and_takes_smaller_ones_after_it() -> None:
    assert ordinals(assemble(sized(40, 70, 30, 50, 20), 100)) == [0, 2, 4]


def test_assemble_stops_once_the_budget_is_full() -> None:
    assert ordinals(assemble(sized(60, 40, 1), 100)) == [0, 1]


def test_assemble_takes_at_least_the_best_one() -> None:
    assert ordinals(assemble(sized(500, 10), 100)) == [0]
    assert assemble([], 100) == []


def test_within_budget_stops_at_the_first_that_does_not_fit() -> None:
    assert ordinals(within_budget(sized(40, 70, 30), 100)) == [0]
    assert ordinals(within_budget(sized(40, 60, 30), 100)) == [0, 1]


def test_within_budget_takes_at_least_one() -> None:
    assert ordinals(within_budget(sized(500, 10), 100)) == [0]
    assert within_budget([], 100) == []


@pytest.mark.parametrize(("question", "held", "left"), [
    ("Какова сметная стоимость по локальной смете № 2?", "2", None),
    ("What is in exhibit no. 4?", "4", None),
    ("Net sales for the quarter ended April 1, 2023?", "2023", "1"),
])
def test_a_numbered_thing_is_looked_up_but_a_day_of_the_month_is_not(question: str, held: str, left: str | None) -> None:
    from application.retrieval.finder import PassageFinder

    terms = PassageFinder(analyzer=SnowballAnalyzer(), fallback=None).question_terms(question, ["ru", "en"])
    assert held in terms
    if left is not None:
        assert left not in terms
