"""The prompts that ground answers in numbered sources. Bump PROMPT_VERSION when one changes:
it is part of the answer-cache key."""

from __future__ import annotations

import re
from collections.abc import Sequence

from application.ports.language_model import Source

PROMPT_VERSION = "3"  # 3: the search index, the keyless answerer, renumbered and checked citations

SYSTEM_PROMPT = """You are a business assistant that answers questions about the user's documents.
Answer only from the numbered sources below. After every statement, cite the source it comes
from as [n], using the source numbers exactly as given; never cite a number that is not listed.
If the sources do not contain the answer, say plainly that the document does not contain this
information, and do not guess. Reply in the language of the question, whatever the language of
the sources. Be concise."""

MAP_PROMPT = """You are reading one part of a long document to help answer a question about the
whole of it (for example a summary or an overview). Write the key points of the numbered sources
below that matter for the question, as short sentences. After every sentence cite the source it
comes from as [n], using the source numbers exactly as given. Reply in the language of the
question. If this part holds nothing relevant, reply with the single word NONE."""

REDUCE_PROMPT = """You are a business assistant. The numbered sources below are key points taken
from every part of one long document, in document order. Answer the question (for example a
summary or an overview) from them only. After every statement cite the source it comes from as
[n], using the source numbers exactly as given. Reply in the language of the question. Be concise."""

# Questions about the whole document rather than a fact in it: these get a map-reduce pass over
# every chunk instead of the search index's passages when the document does not fit the budget.
# A request to summarise: the question starts with the verb ("Summarize ...", "Give me an
# overview", "Кратко перескажи"), or asks for a summary/overview OF the document, its main
# points, what it is about. A fact question that merely contains "overview" or "outlined" ("the
# revenue in the Business Overview", "the risks outlined in Item 1A") is not one.
_DOCUMENT = (r"(document|file|report|filing|text|contract|agreement|paper|article|presentation|deck|book|pdf|"
             r"spreadsheet|workbook|notes|minutes|transcript|recording|10-?[qk])")
_OVERVIEW = re.compile(
    r"^\W*(please\s+|can you\s+|could you\s+|would you\s+|pls\s+)?(summari[sz]e|recap|sum up|tl;?dr|"
    r"give (me |us )?(a |an )?(short |brief |quick |high[- ]level )?(summary|overview|outline|gist|rundown|synopsis)|"
    r"outline (the )?(main|key)\b)"
    rf"|\b(summary|overview|gist|outline|rundown|synopsis|recap) of (this|the|that|my) (whole |entire )?{_DOCUMENT}"
    rf"|\bwhat('s| is| are) (this|the|these) {_DOCUMENT}s? (all )?about\b|\btl;?dr\b"
    r"|\b(main|key) (points|topics|ideas|takeaways|themes|findings)\b"
    r"|^\W*(кратко|вкратце|резюмируй\w*|перескаж\w*|подытож\w*|сделай (краткое )?(резюме|обзор|выжимку))"
    r"|\bкратк\w+ (содержани\w*|изложени\w*|обзор\w*|пересказ\w*|резюме)|\bрезюме (документа|договора|отч[её]та)"
    r"|о ч[её]м (этот |данный )?(документ|файл|отч[её]т|текст|договор|контракт)"
    r"|\bосновн\w+ (мысл|пункт|иде|положени|тем|вывод)\w*|\bсуть (документа|договора|контракта|отч[её]та)"
    r"|zusammenfass\w*|überblick über|\bresumen\b|\bresumir\b|\briassun\w*|\bsintesi\b|\brésum[eé]\w*",
    re.IGNORECASE)


def is_overview_question(question: str) -> bool:
    """A request to summarise or give an overview of the document (several languages)."""
    return bool(_OVERVIEW.search(question))


def render_sources(sources: Sequence[Source]) -> str:
    """The sources as the model sees them: ``[n] (label)`` then the text."""
    return "\n\n".join(f"[{s.number}] ({s.label})\n{s.text}" for s in sources)


def render_user_message(question: str, sources: Sequence[Source],
                        history: Sequence[tuple[str, str]] = ()) -> str:
    """The sources, the conversation so far (a thread's earlier turns) and the question."""
    earlier = "".join(f"User: {asked}\nAssistant: {said}\n\n" for asked, said in history)
    conversation = f"\n\nConversation so far (for what the question refers to; cite only the sources):\n\n" \
                   f"{earlier.rstrip()}" if earlier else ""
    return f"Sources:\n\n{render_sources(sources)}{conversation}\n\nQuestion: {question}"
