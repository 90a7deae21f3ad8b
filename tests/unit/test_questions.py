"""What a question asks for and the period it is about (domain.questions)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.questions import Kind, Period, Relative, content, period_of, profile, question_date

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


# --- kinds ------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "kind"), [
    ("How much revenue did Apple make?", Kind.AMOUNT),
    ("What was the net income?", Kind.AMOUNT),
    ("What were total assets?", Kind.AMOUNT),
    ("How many employees does the company have?", Kind.COUNT),
    ("What is the number of stores?", Kind.COUNT),
    ("What percentage of revenue came from iPhone?", Kind.PERCENT),
    ("By what percentage did revenue grow?", Kind.PERCENT),
    ("What share of sales came from China?", Kind.PERCENT),
    ("What is the interest rate?", Kind.PERCENT),
    ("How much did revenue grow in %?", Kind.PERCENT),
    ("When was the agreement signed?", Kind.DATE),
    ("How long is the warranty?", Kind.DATE),
    ("What date is the deadline?", Kind.DATE),
    ("Who is the CEO?", Kind.NAME),
    ("Which company acquired Activision?", Kind.NAME),
    ("Is the company profitable?", Kind.YES_NO),
    ("Does the contract allow termination?", Kind.YES_NO),
    ("Tell me about the weather", Kind.OTHER),
    ("Summarize the document", Kind.OTHER),
    ("List the directors", Kind.OTHER),
])
def test_english_kinds(question: str, kind: Kind) -> None:
    assert profile(question).kind is kind


@pytest.mark.parametrize(("question", "kind"), [
    ("Сколько стоит поставка?", Kind.AMOUNT),
    ("Сколько НДС?", Kind.AMOUNT),
    ("Сколько составляет аванс?", Kind.AMOUNT),
    ("Какова цена договора?", Kind.AMOUNT),
    ("Сколько карт выпущено?", Kind.COUNT),
    ("Сколько дней длится гарантия?", Kind.COUNT),
    ("Количество товара?", Kind.COUNT),
    ("Какой процент предоплаты?", Kind.PERCENT),
    ("Какая доля рынка?", Kind.PERCENT),
    ("Когда срок поставки?", Kind.DATE),
    ("До какого числа нужно оплатить?", Kind.DATE),
    ("Кто подписал договор?", Kind.NAME),
    ("Кем выдана доверенность?", Kind.NAME),
    ("Какой суд рассматривает споры?", Kind.NAME),
    ("Есть ли штраф за просрочку?", Kind.YES_NO),
    ("Можно ли расторгнуть договор?", Kind.YES_NO),
    ("Опишите предмет договора", Kind.OTHER),
])
def test_russian_kinds(question: str, kind: Kind) -> None:
    assert profile(question).kind is kind


@pytest.mark.parametrize(("question", "kind"), [
    ("What was the percentage of revenue from services?", Kind.PERCENT),
    ("What is the name of the auditor?", Kind.NAME),
    ("What were the names of the directors?", Kind.NAME),
    ("What is the share of revenue from China?", Kind.PERCENT),
    ("What is the share price?", Kind.AMOUNT),  # "the share price" is no share of something
])
def test_kinds_asked_with_what_is_the(question: str, kind: Kind) -> None:
    assert profile(question).kind is kind


@pytest.mark.parametrize("question", [
    "Data Center revenue Q3 FY24?", "Apple net sales", "Выручка за 2023 год", "штраф за просрочку", "capex 2023",
])
def test_a_noun_phrase_naming_a_quantity_asks_for_an_amount(question: str) -> None:
    assert profile(question).kind is Kind.AMOUNT


def test_a_noun_phrase_without_a_quantity_is_other() -> None:
    assert profile("Data Center segment Q3 FY24?").kind is Kind.OTHER


def test_wants_number() -> None:
    assert profile("How much revenue?").wants_number
    assert profile("How many stores?").wants_number
    assert profile("What percentage of sales?").wants_number
    assert not profile("When was it signed?").wants_number
    assert not profile("Who is the CEO?").wants_number
    assert not profile("Is it profitable?").wants_number


def test_the_profile_carries_the_period() -> None:
    assert profile("Revenue for the three months ended July 1, 2023?").period == Period(months=3, end=date(2023, 7, 1))


# --- periods ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "months"), [
    ("Three Months Ended July 1, 2023", 3), ("revenue in Q2", 3), ("quarterly revenue", 3), ("3-month", 3),
    ("за третий квартал", 3),
    ("Six Months Ended June 30, 2024", 6), ("revenue in the first half", 6), ("half-year", 6), ("за полугодие", 6),
    ("за 6 месяцев", 6),
    ("Nine Months Ended September 30, 2023", 9), ("Q1-Q3", 9), ("за 9 месяцев", 9), ("за девять месяцев", 9),
    ("Twelve Months Ended December 31, 2022", 12), ("annual revenue", 12), ("full-year", 12), ("годовая выручка", 12),
    ("revenue in 2023", None), ("net sales", None),
])
def test_span_in_months(text: str, months: int | None) -> None:
    assert period_of(text).months == months


def test_the_longer_span_wins_when_a_text_names_two() -> None:
    assert period_of("Three months ended July 1, 2023 and nine months").months == 9


@pytest.mark.parametrize(("text", "end"), [
    ("for the three months ended July 1, 2023", date(2023, 7, 1)),
    ("as of Sept. 30, 2023", date(2023, 9, 30)),
    ("Jan 5, 2023", date(2023, 1, 5)),
    ("September 30 2023", date(2023, 9, 30)),
    ("30 September 2023", date(2023, 9, 30)),
    ("выручка на 1 июля 2023", date(2023, 7, 1)),
    ("по состоянию на 31 декабря 2022 г.", date(2022, 12, 31)),
    ("баланс на 01.07.2023", date(2023, 7, 1)),
    ("31.12.2023", date(2023, 12, 31)),
])
def test_end_dates_in_three_spellings(text: str, end: date) -> None:
    period = period_of(text)
    assert period.end == end
    assert period.year is None  # a named day leaves the bare year unset


@pytest.mark.parametrize(("text", "year", "fiscal"), [
    ("revenue in 2022", 2022, False),
    ("выручка за 2023 год", 2023, False),
    ("net income for fiscal 2024", 2024, True),
    ("fiscal year 2023", 2023, True),
    ("revenue FY24", 2024, True),
    ("revenue in FY2023", 2023, True),
    ("Q3 FY24 revenue", 2024, True),
    ("Q3 FY 24 revenue", 2024, True),
    ("revenue in 2023 compared with 2022", 2022, False),  # the last year named
])
def test_years_and_fiscal_years(text: str, year: int, fiscal: bool) -> None:
    period = period_of(text)
    assert (period.year, period.fiscal, period.end) == (year, fiscal, None)


def test_q3_fy24_is_a_quarter_of_fiscal_2024() -> None:
    assert period_of("Data Center revenue Q3 FY24?") == Period(months=3, year=2024, fiscal=True)


def test_fiscal_without_a_year_is_not_fiscal() -> None:
    assert period_of("previous fiscal year").fiscal is False


@pytest.mark.parametrize("text", ["revenue FY '24", "revenue FY'24"])
def test_an_apostrophe_fiscal_year_is_read(text: str) -> None:
    assert period_of(text) == Period(year=2024, fiscal=True)


@pytest.mark.parametrize("text", [
    "the same quarter last year", "a year earlier", "a year ago", "previous fiscal year", "prior-year period",
    "at the end of the prior fiscal year", "за прошлый год", "предыдущего года", "годом ранее",
])
def test_previous(text: str) -> None:
    assert period_of(text).relative is Relative.PREVIOUS


@pytest.mark.parametrize("text", [
    "latest quarter", "this quarter", "the most recent period", "revenue now", "текущий квартал", "последний отчёт",
])
def test_latest(text: str) -> None:
    assert period_of(text).relative is Relative.LATEST


def test_previous_wins_over_latest() -> None:
    assert period_of("this quarter compared with a year ago").relative is Relative.PREVIOUS


@pytest.mark.parametrize("text", ["year to date", "year-to-date revenue", "YTD", "so far this fiscal year",
                                  "выручка с начала года"])
def test_cumulative(text: str) -> None:
    assert period_of(text).cumulative is True


def test_a_plain_question_has_an_empty_period() -> None:
    period = period_of("What was net income?")
    assert period == Period() and period.empty
    assert not period_of("net income in 2023").empty


def test_an_impossible_date_falls_back_to_its_year() -> None:
    assert period_of("31.02.2023") == Period(year=2023)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from([str.title, str.upper]))
def test_a_rendered_quarter_header_reads_back(day: date, case) -> None:  # noqa: ANN001
    header = case(f"Three Months Ended {MONTH_NAMES[day.month - 1]} {day.day}, {day.year}")
    assert period_of(header) == Period(months=3, end=day)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_a_dotted_date_reads_back(day: date) -> None:
    assert question_date(f"на {day.day:02d}.{day.month:02d}.{day.year}") == day


# --- question_date ----------------------------------------------------------------------

def test_question_date_is_the_last_date_spelt_out() -> None:
    assert question_date("July 1, 2023 and June 30, 2024") == date(2024, 6, 30)
    assert question_date("с 1 января 2023 по 31.03.2023") == date(2023, 3, 31)


def test_question_date_skips_impossible_dates() -> None:
    assert question_date("March 3, 2024 then February 30, 2025") == date(2024, 3, 3)
    assert question_date("February 30, 2023") is None


def test_question_date_without_a_day_is_none() -> None:
    assert question_date("revenue in May 2023") is None
    assert question_date("") is None


# --- content ----------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "expected"), [
    ("What was Data Center revenue for the three months ended July 1, 2023?", "What was Data Center revenue ?"),
    ("How much did Apple spend on research and development year to date?",
     "How much did Apple on research and development ?"),
    ("What were total net sales in the same quarter last year?", "What were total net sales ?"),
    ("Operating income for the six months ended June 30, 2024", "Operating income"),
    ("Q3 FY24 revenue", "revenue"),
    ("Revenue as of 01.07.2023", "Revenue"),
    ("How much cash did the company generate in the latest quarter?", "How much cash did the ?"),
    ("What amount was reported as net income?", "What was as net income?"),
    ("Какая выручка с начала года?", "Какая выручка ?"),
])
def test_content_drops_the_period_and_filler_and_keeps_the_subject(question: str, expected: str) -> None:
    assert content(question) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("Выручка за 9 месяцев", "Выручка за"),
    ("Выручка за полугодие", "Выручка за"),
    ("Выручка прошлого года", "Выручка"),
    ("Прибыль за шесть месяцев предыдущего года", "Прибыль за"),
])
def test_content_removes_russian_periods_whole(question: str, expected: str) -> None:
    assert content(question) == expected


_VOCABULARY = ["revenue", "net", "sales", "for", "the", "three", "months", "ended", "July", "1,", "2023", "fiscal",
               "FY24", "FY", "24", "Q3", "year", "to", "date", "ytd", "last", "previous", "quarter", "quarterly",
               "spend", "company", "9", "nine", "six", "half", "first", "as", "of", "at", "end", "in", "during",
               "latest", "this", "now", "01.07.2023", "report", "10-Q", "-", "'s", "?", ",", "How", "much", "did"]


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(_VOCABULARY), max_size=14).map(" ".join), st.text(max_size=40)))
def test_content_never_raises_and_never_adds_words(question: str) -> None:
    out = content(question)
    assert set(words(out)) <= set(words(question))
    assert len(words(out)) <= len(words(question))
    assert out == " ".join(out.split())
