"""Markdown (CommonMark with GitHub's footnotes): a heading per thread and per question, the
answer's ``[n]`` markers as footnote references, each citation a footnote with its locator and
quoted passage (a citation the answer does not mark is referenced at its end, so none is dropped)."""

from __future__ import annotations

import re

from application.ports.export_renderer import EMPTY_TEXT, ConversationExport, ExportedThread, ExportedTurn
from adapters.export.text import about, clean, footnote, header_lines, pieces

_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]<>#|])")


class MarkdownExportRenderer:
    """Implements application.ports.export_renderer.ExportRenderer."""

    media_type = "text/markdown; charset=utf-8"
    extension = "md"

    def render(self, export: ConversationExport) -> bytes:
        lines = [f"# {_escape(export.title)}", "", *(f"{_escape(line)}  " for line in header_lines(export)), ""]
        if export.empty:
            lines += [f"_{EMPTY_TEXT}_", ""]
        several = len(export.threads) > 1 or bool(export.period)
        for t, thread in enumerate(export.threads, 1):
            if several:
                lines += [f"## {_escape(thread.title)}", "", f"{_escape(about(thread))}  ",
                          f"Started {thread.created_at:%Y-%m-%d %H:%M} UTC", ""]
            for n, turn in enumerate(thread.turns, 1):
                lines += _turn(turn, f"{t}-{n}" if several else f"{n}", "###" if several else "##", n)
        return "\n".join(lines).rstrip("\n").encode("utf-8") + b"\n"


def _turn(turn: ExportedTurn, key: str, level: str, n: int) -> list[str]:
    numbers = {c.number for c in turn.citations}
    marked: set[int] = set()
    answer = []
    for text, number in pieces(clean(turn.answer)):
        if number is not None and number in numbers:
            answer.append(f"[^{key}-{number}]")
            marked.add(number)
        else:
            answer.append(_escape(text))
    answer += [f" [^{key}-{c.number}]" for c in turn.citations if c.number not in marked]
    lines = [f"{level} {n}. {_escape(' '.join(clean(turn.question).split()))}", "",
             f"_Asked {turn.asked_at:%Y-%m-%d %H:%M} UTC_", "", "".join(answer).strip() or "_(no answer)_", ""]
    for citation in turn.citations:
        lines.append(f"[^{key}-{citation.number}]: [{citation.number}] {_escape(footnote(citation))}")
    return lines + [""] if turn.citations else lines


def _escape(text: str) -> str:
    return _SPECIAL_RE.sub(r"\\\1", text)
