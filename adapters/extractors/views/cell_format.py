"""A cell's value as a spreadsheet shows it, for the common number formats (ECMA-376 18.8.31).

Handled: "General"; sections for positive;negative;zero; digit placeholders ``0 # ?`` with decimals,
thousands separators and trailing-comma scaling ("#,##0,," in millions); percent; scientific
("0.00E+00"); literals in quotes or after a backslash, ``_x`` spacing, ``*x`` fill (dropped), colour
and condition codes ([Red], [<0]) dropped, currency codes ([$€-407]) shown as their symbol. A date
or time is shown in ISO form (the calendar format itself is not rendered). A number under "General",
"@" or a format not handled is shown as General shows it (up to 10 significant digits); any other
value comes out as the extractor wrote it (adapters.extractors.xlsx)."""

from __future__ import annotations

import math
import re

from adapters.extractors.xlsx import _render as cell_text
_BRACKET = re.compile(r"\[([^\]]*)\]")
_PLACEHOLDERS = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?(?:[eE][+-][0#?]+)?|\.[0#?]+")
_PRIVATE = 0xE000
_CODES = frozenset("0123456789#?.,%eE")


def shown(value: object, number_format: str | None) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float) and math.isfinite(value):
        text = _number(float(value), number_format or "General")
        if text is not None:
            return text
        return _general(float(value))
    return cell_text(value, None)  # a date, text, an empty cell: the extractor's own text of it


def _general(value: float) -> str:
    """As Excel's General: an integer without decimals, else up to 10 significant digits."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def _number(value: float, fmt: str) -> str | None:
    sections = _split(fmt)
    if not sections or sections[0].strip().lower() in ("general", "@", ""):
        return None
    section, signed = sections[0], True
    if value < 0 and len(sections) > 1:
        section, value, signed = sections[1], -value, False
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    literal = _literals(section)
    match = _PLACEHOLDERS.search(literal)
    if match is None:
        return _restored(literal).strip() or None
    pattern = match.group(0)
    scaled = value * (100 ** literal.count("%"))
    core = pattern.rstrip(",")
    scaled /= 1000 ** (len(pattern) - len(core))
    digits = _digits(scaled, core)
    if signed and value < 0 and not digits.startswith("-"):
        digits = "-" + digits
    return _restored(literal[:match.start()] + digits + literal[match.end():]).strip()


def _digits(value: float, pattern: str) -> str:
    mantissa, _, exponent = pattern.upper().partition("E")
    whole, _, fraction = mantissa.partition(".")
    decimals = len(fraction)
    if exponent:
        number, _, power = f"{value:.{decimals}E}".partition("E")
        width = max(1, len(exponent) - 1)  # the placeholders after the sign
        return f"{number}E{power[0]}{power[1:].lstrip('0').rjust(width, '0')}"
    text = f"{value:{',' if ',' in whole else ''}.{decimals}f}"
    if "0" not in whole and text.lstrip("-").split(".")[0] == "0":  # "#.00" shows 0.5 as ".50", "??" 0 as ""
        text = text.replace("0", "", 1)
    return text


def _split(fmt: str) -> list[str]:
    """The format's sections, split at semicolons outside quotes."""
    sections, current, quoted = [], "", False
    for char in fmt:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    return [*sections, current]


def _protected(text: str) -> str:
    """Literal text moved to the private use area, so its "0", "%" or "," is never a code."""
    return "".join(chr(_PRIVATE + ord(c)) if c in _CODES else c for c in text)


def _restored(text: str) -> str:
    return "".join(chr(ord(c) - _PRIVATE) if _PRIVATE <= ord(c) < _PRIVATE + 128 else c for c in text)


def _literals(section: str) -> str:
    """The section with its codes resolved: literal text kept (protected), colours and conditions
    dropped, currency codes as their symbol."""
    section = _BRACKET.sub(lambda m: _protected(m.group(1)[1:].split("-")[0]) if m.group(1).startswith("$") else "",
                           section)
    out, index = [], 0
    while index < len(section):
        char = section[index]
        if char == '"':
            end = section.find('"', index + 1)
            end = len(section) if end < 0 else end
            out.append(_protected(section[index + 1:end]))
            index = end + 1
            continue
        if char == "\\" and index + 1 < len(section):
            out.append(_protected(section[index + 1]))
            index += 2
            continue
        if char == "_" and index + 1 < len(section):
            out.append(" ")
            index += 2
            continue
        if char == "*" and index + 1 < len(section):
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)
