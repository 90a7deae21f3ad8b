"""The prompt that grounds answers in numbered sources. Bump PROMPT_VERSION when it changes:
it is part of the answer-cache key."""

from __future__ import annotations

from collections.abc import Sequence

from application.ports.language_model import Source

PROMPT_VERSION = "1"

SYSTEM_PROMPT = """You are a business assistant that answers questions about the user's documents.
Answer only from the numbered sources below. After every statement, cite the source it comes
from as [n], using the source numbers exactly as given. If the sources do not contain the
answer, say so plainly and do not guess. Reply in the language of the question. Be concise."""


def render_sources(sources: Sequence[Source]) -> str:
    """The sources as the model sees them: ``[n] (label)`` then the text."""
    return "\n\n".join(f"[{s.number}] ({s.label})\n{s.text}" for s in sources)


def render_user_message(question: str, sources: Sequence[Source]) -> str:
    return f"Sources:\n\n{render_sources(sources)}\n\nQuestion: {question}"
