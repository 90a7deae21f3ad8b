"""Answers in words: a table value with its unit and period, a sentence, "not in the document"."""

from __future__ import annotations

import re
from collections.abc import Callable

from application.keyless.columns import period_key
from application.keyless.units import Row
from domain.questions import MONTHS, period_of

NOT_FOUND = {"en": "The document does not contain information about this.", "ru": "В документе нет сведений об этом."}
_UNIT = [(re.compile(r"\bin millions\b|\bмлн\b", re.IGNORECASE), {"en": " million", "ru": " млн"}),
         (re.compile(r"\bin thousands\b|\bтыс\.", re.IGNORECASE), {"en": " thousand", "ru": " тыс."}),
         (re.compile(r"\bin billions\b|\bмлрд\b", re.IGNORECASE), {"en": " billion", "ru": " млрд"})]
_NOT_AN_AMOUNT = re.compile(r"per share|\bshares?\b|\beps\b|percent|%|ratio|\brate\b|margin percentage|на акцию",
                            re.IGNORECASE)
# a row of counts, not of money: a share count, a percentage, a ratio ("Diluted earnings per share" is dollars)
_NOT_DOLLARS = re.compile(r"\bshares\b|\bnumber of\b|percent|%|ratio|\brate\b|margin percentage|\bакций\b|"
                          r"\bколичеств\w*", re.IGNORECASE)
# a column of quantities: no money unit, no "$"
_QUANTITY_HEADER = re.compile(r"\b(qty|quantity|count|number of|units|pcs|кол-?во|количеств\w*|шт)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^\(?-?[\d.,\s]*\d\)?%?$")
_PLURAL_SINGULAR = ("income", "loss", "revenue", "margin", "cash", "tax", "debt", "equity", "profit")
_QUOTE_CHARS = 400
_CLAUSE = re.compile(r"(?<=[,;:])\s+")
_CHANGE = re.compile(r"\bchange\b|^\s*%\s*$|измен", re.IGNORECASE)


def table_answer(row: Row, column: int, number: int, language: str) -> str:
    value = row.cells[column].strip()
    header = row.table.header[column] if column < len(row.table.header) else ""
    column_values = row.table.column(column)
    if (_NUMBER.match(value) and "%" not in value and not value.startswith("$") and not _counts(row, header)
            and any(v.strip().startswith("$") for v in column_values)):
        value = "$" + value
    unit = _unit(row, value, header, language)
    subject = row.label.rstrip(":")
    if row.section and row.section.casefold() not in subject.casefold():
        subject = f"{subject} ({row.section})"
    if language == "ru":
        where = f" ({header})" if header else ""
        return f"{subject} — {value}{unit}{where} [{number}]."
    verb = "were" if _plural(subject) else "was"
    if _CHANGE.search(header) and not re.search(r"\d{4}", header):  # a change column: name the period it compares
        return (f"{subject} changed by {value}{_period_phrase(_compared(row.table.header, column))}, "
                f"compared with a year earlier [{number}].")
    return f"{subject} {verb} {value}{unit}{_period_phrase(header)} [{number}]."


def sentence_answer(text: str, number: int, focus: Callable[[str], float] | None = None, *,
                    ending: bool = False) -> str:
    """The sentence and its marker; one longer than ``_QUOTE_CHARS`` is cut to its clauses around
    the best one by ``focus`` (a clause's share of what was asked), or around its last clause when
    ``ending`` (a sentence announcing what follows it), with "…" where text is left out."""
    text = text.strip().rstrip(" ;:,")
    if len(text) > _QUOTE_CHARS:
        if ending:
            text = _around(text, lambda clause, last=_CLAUSE.split(text)[-1]: float(clause is last or clause == last))
        else:
            text = _around(text, focus) if focus is not None else text[: _QUOTE_CHARS - 1].rstrip() + "…"
    if text and text[-1] not in ".!?…\"”»)":
        text += ":" if ending else "."
    return f"{text} [{number}]"


def _around(text: str, focus: Callable[[str], float]) -> str:
    clauses = _CLAUSE.split(text)
    best = max(range(len(clauses)), key=lambda i: (focus(clauses[i]), -i))
    first = last = best
    size = len(clauses[best])
    while True:  # widen to the neighbours while the quote stays short, the later side first
        grew = False
        if last + 1 < len(clauses) and size + len(clauses[last + 1]) + 1 <= _QUOTE_CHARS:
            last, size, grew = last + 1, size + len(clauses[last + 1]) + 1, True
        if first > 0 and size + len(clauses[first - 1]) + 1 <= _QUOTE_CHARS:
            first, size, grew = first - 1, size + len(clauses[first - 1]) + 1, True
        if not grew:
            break
    quote = " ".join(clauses[first:last + 1])
    if len(quote) > _QUOTE_CHARS:  # one clause longer than a quote: cut, the cut marked
        return ("… " if first > 0 else "") + quote[: _QUOTE_CHARS - 1].rstrip() + "…"
    return ("… " if first > 0 else "") + quote + (" …" if last + 1 < len(clauses) else "")


def _compared(header: tuple[str, ...], column: int) -> str:
    """The period a change column compares: of the run of dated columns before it ("latest | year
    earlier | Change"), the latest, the leftmost among equals (most tables put the latest first)."""
    run: list[int] = []
    for i in range(column - 1, -1, -1):
        if re.search(r"\d{4}", header[i]):
            run.append(i)
        elif header[i].strip() or run:  # a column of another kind, or the run's end
            break
    if not run:
        return ""
    return header[max(sorted(run), key=lambda i: period_key(period_of(header[i])))]


def _counts(row: Row, header: str) -> bool:
    """The row or its column counts things (shares, units) or is a share (%), not money."""
    return bool(_NOT_DOLLARS.search(f"{row.label} {row.section}") or _QUANTITY_HEADER.search(header))


def _unit(row: Row, value: str, header: str, language: str) -> str:
    if "%" in value or not _NUMBER.match(value.lstrip("$")):
        return ""
    context = f"{row.title} {row.table.caption or ''} {row.table.header[0] if row.table.header else ''}"
    for pattern, names in _UNIT:
        if pattern.search(context):
            if _NOT_AN_AMOUNT.search(f"{row.label} {row.section}") or _QUANTITY_HEADER.search(header):
                return ""
            return names.get(language, names["en"])
    return ""


def _plural(subject: str) -> bool:
    last = subject.split(" (")[0].split()[-1].casefold() if subject.split() else ""
    return last.endswith("s") and not last.endswith("ss") and last not in _PLURAL_SINGULAR


def _period_phrase(header: str) -> str:
    """"Three Months Ended July 1, 2023" -> " for the three months ended July 1, 2023"; a date alone
    -> " as of ..."; a year -> " in 2023"; another name -> " (Qty)"; nothing -> ""."""
    header = " ".join(header.split())
    if not header:
        return ""
    words = header.split()
    if words[0].casefold().rstrip(".,") in MONTHS and re.search(r"\d{4}", header):
        return f" as of {header}"
    if re.fullmatch(r"(fiscal\s+)?(19|20)\d\d", header, re.IGNORECASE):
        return f" in {header}"
    if re.search(r"\b(months?|weeks?|quarters?|years?) ended\b", header, re.IGNORECASE):
        lowered = " ".join(w if w[0].isdigit() or w.casefold().rstrip(",") in MONTHS else w.lower() for w in words)
        return f" for the {lowered}"
    return f" ({header})"
