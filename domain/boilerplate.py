"""Boilerplate: the parts of a document that match many questions' words and answer none of
them (a form's cover page, a table of contents, signature blocks, certifications, an exhibit
index). Found by the marks such parts carry in any filing, contract or report, not by a
document's own strings; ranking demotes them, it never hides them (a cover page may still hold
the one fact asked for)."""

from __future__ import annotations

import re

_FAMILIES: dict[str, re.Pattern[str]] = {
    "cover": re.compile(r"indicate by check mark|☐|☒|\(exact name of (the )?registrant|commission file number"
                        r"|i\.r\.s\. employer identification|securities registered pursuant", re.IGNORECASE),
    # a heading, or an entry: words (after an optional "Part II" / "Item 1A.") and a page number alone
    "contents": re.compile(r"^\s*(table of )?contents\s*$|^\s*оглавление\s*$|^\s*содержание\s*$"
                           r"|^(?:(?:part|item)\s+[\dIVX]+[A-Z]?\.?\s+)?[^\d\n]{3,90}?(?:\.{3,}|\s)\s*\d{1,3}\s*$",
                           re.IGNORECASE | re.MULTILINE),
    "signature": re.compile(r"^\s*signatures?\s*$|/s/|duly caused this report to be signed|duly authorized"
                            r"|^\s*by:\s|^\s*м\.\s?п\.\s*$|подписи сторон", re.IGNORECASE | re.MULTILINE),
    "certification": re.compile(r"\bcertif(y|ies|ication)\b|sarbanes-oxley|18 u\.s\.c\.|section 302|section 906"
                                r"|\brule 13a-14|\b15d-14", re.IGNORECASE),
    "exhibits": re.compile(r"exhibit (number|index|description)|incorporated by reference|filed herewith"
                           r"|furnished herewith|^\s*\d{1,3}(\.\d{1,2})?\*{1,2}\s", re.IGNORECASE | re.MULTILINE),
}
_DENSE_HITS = 4  # a single family this often in one chunk is enough
_MIN_HITS = {"contents": 3}  # a line or two ending in a number is any table's row


def boilerplate_marks(text: str) -> dict[str, int]:
    """How often each family of boilerplate marks occurs in ``text``."""
    return {name: len(pattern.findall(text)) for name, pattern in _FAMILIES.items()}


def is_boilerplate(text: str) -> bool:
    """Two families of marks, or one of them ``_DENSE_HITS`` times (a table of contents is many
    lines ending in a page number; a certification says "certify" again and again)."""
    marks = boilerplate_marks(text)
    families = [name for name, count in marks.items() if count >= _MIN_HITS.get(name, 1)]
    return len(families) >= 2 or any(marks[name] >= _DENSE_HITS for name in families)
