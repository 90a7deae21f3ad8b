"""What a question asks for: its kind (an amount, a count, a share, a date, a name, yes or no)
and the period it is about, in English and Russian. Pure: the retriever ranks by it, the keyless
answerer picks a table column and a sentence by it."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum

import attrs


class Kind(Enum):
    AMOUNT = "amount"  # how much, what was the revenue
    COUNT = "count"  # how many
    PERCENT = "percent"  # what share, what rate
    DATE = "date"  # when, by what date, how long
    NAME = "name"  # who, which company
    YES_NO = "yes_no"
    OTHER = "other"


class Relative(Enum):
    LATEST = "latest"  # this quarter, the latest, now
    PREVIOUS = "previous"  # the same quarter last year, a year earlier, the previous fiscal year end


@attrs.frozen(kw_only=True)
class Period:
    """``months``: 3 (a quarter), 6, 9, 12, None when not said; ``cumulative``: year to date (the
    longest span the table has); ``end``: a date named in the question; ``year``: a year named
    without a day; ``fiscal``: the year is a fiscal year."""

    months: int | None = None
    end: date | None = None
    year: int | None = None
    fiscal: bool = False
    relative: Relative | None = None
    cumulative: bool = False

    @property
    def empty(self) -> bool:
        return self == Period()


@attrs.frozen(kw_only=True)
class Profile:
    kind: Kind
    period: Period

    @property
    def wants_number(self) -> bool:
        return self.kind in (Kind.AMOUNT, Kind.COUNT, Kind.PERCENT)


MONTHS = {name: number for number, names in enumerate([
    ("january", "jan", "января", "январь"), ("february", "feb", "февраля", "февраль"),
    ("march", "mar", "марта", "март"), ("april", "apr", "апреля", "апрель"), ("may", "мая", "май"),
    ("june", "jun", "июня", "июнь"), ("july", "jul", "июля", "июль"), ("august", "aug", "августа", "август"),
    ("september", "sep", "sept", "сентября", "сентябрь"), ("october", "oct", "октября", "октябрь"),
    ("november", "nov", "ноября", "ноябрь"), ("december", "dec", "декабря", "декабрь")], start=1)
    for name in names}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_RE = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)\b|\b(\d{{1,2}})\s+({_MONTH})\s+((?:19|20)\d\d)\b"
                     r"|\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b", re.IGNORECASE)
# a two-digit year only right after "FY" ("FY24", "FY 24", "FY'24", "FY '24")
_YEAR = re.compile(r"\b(?:fy\s?'?|fiscal\s+(?:year\s+)?|q[1-4]\s+(?:fy\s?)?)?((?:19|20)\d\d|(?<=fy)\d\d|(?<=fy )\d\d"
                   r"|(?<=fy')\d\d|(?<=fy ')\d\d)\b", re.IGNORECASE)
_FISCAL = re.compile(r"\bfiscal\b|\bfy\s?'?\d\d|финансов\w* год\w*", re.IGNORECASE)
_SPANS = [
    (re.compile(r"\b(nine|9)[- ]months?\b|\bfirst nine\b|\bq1\s*-\s*q3\b|\b(девят\w*|9)\s+месяц\w*", re.IGNORECASE), 9),
    (re.compile(r"\b(six|6)[- ]months?\b|\bfirst half\b|\bhalf[- ]year\b|\bh1\b|\bполугод\w*|\b(шест\w*|6)\s+месяц\w*",
                re.IGNORECASE), 6),
    (re.compile(r"\b(three|3)[- ]months?\b|\bquarter\w*\b|\bq[1-4]\b|\bквартал\w*", re.IGNORECASE), 3),
    (re.compile(r"\b(twelve|12)[- ]months?\b|\bfull[- ]year\b|\bannual\w*\b|\bгодов\w*", re.IGNORECASE), 12),
]
_CUMULATIVE = re.compile(r"\byear[- ]to[- ]date\b|\bytd\b|\bso far this (fiscal )?year\b|с начала года", re.IGNORECASE)
_PREVIOUS = re.compile(
    r"\b(last|previous|prior|preceding) (fiscal )?year\b|\ba year (earlier|ago|before)\b|\byear[- ]ago\b"
    r"|\bprior[- ]year\b|\bsame (quarter|period) (of |in )?(last|the previous|the prior) year\b"
    r"|\bend of (the )?(previous|prior|last) fiscal year\b|\bпрошл\w+ год\w*|\bпредыдущ\w+ год\w*|\bгодом ранее\b",
    re.IGNORECASE)
_LATEST = re.compile(r"\b(latest|most recent|current|this|the) (quarter|period|year|fiscal year)\b|\bnow\b"
                     r"|\bas of (the )?(latest|most recent)\b|текущ\w+|последн\w+", re.IGNORECASE)
_KINDS = [
    # "what percentage", "what was the percentage of", "what is the share of" ("the share price" is an amount)
    (Kind.PERCENT, re.compile(r"\b(what|which) (percentage|percent|share|proportion|portion|fraction)\b|\bwhat (is|was|"
                              r"are|were) the (percentage|percent|(share|proportion|portion|fraction) of)\b|\bby what "
                              r"(percentage|percent)\b|\bhow much (did|has|have)? ?\w+ (grow|increase|decrease|decline|"
                              r"change|fall|rise)\b.*%|\b(rate|margin percentage|ratio)\b|\bпроцент\w*|\bдол[яию]\b|"
                              r"\bставк\w*", re.IGNORECASE)),
    # "сколько карт", "сколько дней": a count; "сколько стоит", "сколько НДС": an amount
    (Kind.COUNT, re.compile(r"\bhow many\b|\bnumber of\b|\bколичеств\w*|\bсколько\s+(?!стои|стоя|денег|руб|долл|евро|"
                            r"процент|ндс|составля|будет|нужно|заплат|плат)[а-яё]+",
                            re.IGNORECASE)),
    (Kind.DATE, re.compile(r"\bwhen\b|\bwhat (date|day|time|deadline)\b|\bby when\b|\bhow long\b|\bdeadline\b|"
                           r"\bкогда\b|\bв какой срок\b|\bдо како\w+\b|\bсрок\w*\b|\bдат[аеуы]\b|\bкакого числа\b",
                           re.IGNORECASE)),
    (Kind.AMOUNT, re.compile(r"\bhow much\b|\bamount\b|\bсколько\b|\bразмер\w*\b|\bсумм\w*\b|\bцен[аыеу]\b|"
                             r"\bстоимост\w*\b", re.IGNORECASE)),
    (Kind.NAME, re.compile(r"^\s*(who|whom|which (company|companies|officer|officers|customer|firm|party|bank|"
                           r"person|people|court|director|supplier))\b|\bwhat (is|was|are|were) the names? of\b|"
                           r"\bкто\b|\bкем\b|\bкакая организация\b|\bкакой (суд|банк)\b", re.IGNORECASE)),
    (Kind.YES_NO, re.compile(r"^\s*(is|are|was|were|does|do|did|has|have|had|can|could|will|would|should|must)\b|"
                             r"^\s*(есть ли|является ли|можно ли|должен ли|предусмотрен\w* ли)\b", re.IGNORECASE)),
]


# a question without a question word that names a quantity ("Data Center revenue Q3 FY24?")
_QUANTITY = re.compile(r"\b(revenues?|sales|income|profit|loss|costs?|expenses?|spend\w*|cash|assets|liabilities|"
                       r"debt|eps|earnings|dividends?|price|value|total|balance|amount|payments?|fees?|capex|"
                       r"margin|выручк\w*|прибыл\w*|доход\w*|расход\w*|цен\w*|сумм\w*|стоимост\w*|штраф\w*)\b",
                       re.IGNORECASE)


# words that say how a question asks, not what about ("how much did X spend on", "bring in")
_FILLER = re.compile(r"\b(spend|spent|spending|bring|brought|bringing|generate[ds]?|generating|make|made|earn(ed)?|"
                     r"record(ed)?|report(ed)?|show(ed|n)?|post(ed)?|book(ed)?|see|saw|figure|number|amount|value|"
                     r"company|company's|firm|business|filing|document|report|10-q|quarterly report)\b",
                     re.IGNORECASE)


def content(question: str) -> str:
    """The question without its period ("for the three months ended July 1, 2023", "year to date",
    "the same quarter last year") and the words that only say how it asks: what is left names
    what it is about."""
    text = DATE_RE.sub(" ", question)
    for pattern in (_CUMULATIVE, _PREVIOUS, _LATEST):
        text = pattern.sub(" ", text)
    for pattern, _ in _SPANS:
        text = pattern.sub(" ", text)
    for pattern in (_YEAR, _FILLER):
        text = pattern.sub(" ", text)
    text = re.sub(r"\b(ended|ending|as of|at the end of|for the|in the|during the)\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


_NOT_QUANTITY = re.compile(r"\b(terms|conditions|policy|policies|procedure|process|method|how to|schedule|"
                           r"услови\w*|порядок|порядке|способ\w*)\b", re.IGNORECASE)


def question_date(text: str) -> date | None:
    """The last date spelt out in ``text`` ("July 1, 2023", "1 июля 2023", "01.07.2023")."""
    found = None
    for m in DATE_RE.finditer(text):
        try:
            if m.group(1):
                found = date(int(m.group(3)), MONTHS[m.group(1).casefold()], int(m.group(2)))
            elif m.group(5):
                found = date(int(m.group(6)), MONTHS[m.group(5).casefold()], int(m.group(4)))
            else:
                found = date(int(m.group(9)), int(m.group(8)), int(m.group(7)))
        except (ValueError, KeyError):
            continue
    return found


def period_of(text: str) -> Period:
    """The period ``text`` speaks of (a question, or a table column's header)."""
    end = question_date(text)
    months = next((m for pattern, m in _SPANS if pattern.search(text)), None)
    year = None
    if end is None:
        years = [int(y) if len(y) == 4 else 2000 + int(y) for y in _YEAR.findall(text)]
        year = years[-1] if years else None
    relative = Relative.PREVIOUS if _PREVIOUS.search(text) else Relative.LATEST if _LATEST.search(text) else None
    return Period(months=months, end=end, year=year, fiscal=bool(_FISCAL.search(text)) and year is not None,
                  relative=relative, cumulative=bool(_CUMULATIVE.search(text)))


def profile(question: str) -> Profile:
    kind = next((k for k, pattern in _KINDS if pattern.search(question)), Kind.OTHER)
    # "What was the revenue?", "Какова цена?", "Data Center revenue Q3?": an amount when the
    # question names a quantity and not the terms, conditions or way of something
    if kind is Kind.OTHER and _QUANTITY.search(question) and not _NOT_QUANTITY.search(question):
        kind = Kind.AMOUNT
    return Profile(kind=kind, period=period_of(question))
