"""What every format writes alike: the header lines, a citation's footnote text, the answer cut
at its citation markers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from application.ports.export_renderer import ConversationExport, ExportedCitation, ExportedThread

MARKER_RE = re.compile(r"\[(\d{1,3})\]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Without control characters (XML and PDF text refuse them), newlines kept."""
    return _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def about(thread: ExportedThread) -> str:
    if thread.scope == "library" or not thread.documents:
        return "About: the whole library" if thread.scope == "library" else "About: deleted documents"
    return "About: " + ", ".join(thread.documents)


def header_lines(export: ConversationExport) -> list[str]:
    lines = [f"Exported {export.generated_at:%Y-%m-%d %H:%M} UTC"]
    if export.period:
        lines.append(f"Period: {export.period}")
    if len(export.threads) == 1 and not export.period:
        lines.append(about(export.threads[0]))
    return lines


def footnote(citation: ExportedCitation) -> str:
    """``p. 3 · invoices.pdf — “the quoted passage”`` (the number is written by each format)."""
    where = " · ".join(part for part in (citation.label, citation.document) if part) or "source"
    quote = " ".join(clean(citation.quote).split())
    return f"{where} — “{quote}”" if quote else where


def pieces(answer: str) -> Iterator[tuple[str, int | None]]:
    """The answer as (text, None) and (marker, citation number) pieces, in order."""
    position = 0
    for match in MARKER_RE.finditer(answer):
        if match.start() > position:
            yield answer[position:match.start()], None
        yield match.group(0), int(match.group(1))
        position = match.end()
    if position < len(answer):
        yield answer[position:], None
