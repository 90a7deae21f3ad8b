"""Boilerplate: the parts of a document that match many questions' words and answer none of
them (a form's cover page, a table of contents, signature blocks, certifications, an exhibit
index). Found by the marks such parts carry in any filing, contract or report, not by a
document's own strings; ranking demotes them, it never hides them (a cover page may still hold
the one fact asked for). Cheap: each family's pattern runs only on a chunk holding one of its
trigger words, and table-of-contents entries are told by plain string tests per line."""

from __future__ import annotations

import re


def _marks(source: str, flags: int = 0) -> re.Pattern[str]:
    """A family's pattern, case-blind, with each space in ``source`` matching any run of whitespace:
    a phrase wrapped across lines ("duly caused this report to\\nbe signed") is still a mark."""
    return re.compile(source.replace(" ", r"\s+"), re.IGNORECASE | flags)


_FAMILIES: dict[str, tuple[tuple[str, ...], re.Pattern[str]]] = {
    "cover": (("check mark", "☐", "☒", "registrant", "commission file", "employer identification"),
              _marks(r"indicate by check mark|☐|☒|\(exact name of (the )?registrant|commission file number"
                     r"|i\.r\.s\. employer identification|securities registered pursuant")),
    "signature": (("signature", "/s/", "duly", "by:", "м.п", "подпис"),
                  _marks(r"^\s*signatures?\s*$|/s/|duly caused this report to be signed|duly authorized"
                         r"|^\s*by:\s|^\s*м\.\s?п\.\s*$|подписи сторон", re.MULTILINE)),
    "certification": (("certif", "sarbanes", "u.s.c", "section 302", "section 906", "13a-14", "15d-14"),
                      _marks(r"\bcertif(y|ies|ication)\b|sarbanes-oxley|18 u\.s\.c\.|section 302|section 906"
                             r"|\brule 13a-14|\b15d-14")),
    "exhibits": (("exhibit", "incorporated by reference", "herewith", "*"),
                 _marks(r"exhibit (number|index|description)|incorporated by reference|filed herewith"
                        r"|furnished herewith|^\s*\d{1,3}(\.\d{1,2})?\*{1,2}\s", re.MULTILINE)),
}
_CONTENTS_HEADING = ("contents", "table of contents", "оглавление", "содержание")
_ENTRY_PREFIX = re.compile(r"^(?:(?:part|item)\s+[\dIVX]+[A-Z]?\.?\s+)", re.IGNORECASE)
_DENSE_HITS = 4  # a single family this often in one chunk is enough
_MIN_HITS = {"contents": 3}  # a line or two ending in a number is any table's row


def _contents_lines(text: str) -> int:
    """Table-of-contents headings and entries: words (after an optional "Part II" / "Item 1A.")
    then a page number alone, and no other digit."""
    count = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line[0] == "|" or len(line) > 100:
            continue
        if line.casefold() in _CONTENTS_HEADING:
            count += 1
            continue
        head, _, last = line.rstrip(".").rpartition(" ")
        if not head or not last.isdigit() or len(last) > 3:
            continue
        words = _ENTRY_PREFIX.sub("", head).rstrip(". ")
        if len(words) >= 3 and not any(ch.isdigit() for ch in words):
            count += 1
    return count


def boilerplate_marks(text: str) -> dict[str, int]:
    """How often each family of boilerplate marks occurs in ``text``."""
    folded = " ".join(text.casefold().split())  # a trigger phrase wrapped across lines still triggers
    marks = {name: len(pattern.findall(text)) if any(t in folded for t in triggers) else 0
             for name, (triggers, pattern) in _FAMILIES.items()}
    marks["contents"] = _contents_lines(text)
    return marks


def is_boilerplate(text: str) -> bool:
    """Two families of marks, or one of them ``_DENSE_HITS`` times (a table of contents is many
    lines ending in a page number; a certification says "certify" again and again)."""
    marks = boilerplate_marks(text)
    families = [name for name, count in marks.items() if count >= _MIN_HITS.get(name, 1)]
    return len(families) >= 2 or any(marks[name] >= _DENSE_HITS for name in families)
