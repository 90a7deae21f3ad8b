"""``assistant ask``: a question about one document, several (``--docs A,B``) or the whole library
(``--library``), answered with citations."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import typer

from domain.errors import InvalidInput
from entrypoints.cli.lookup import resolve_document, resolve_documents
from entrypoints.cli.output import JSON_OPTION, USER_OPTION, conversation_dict, emit_json
from entrypoints.cli.state import acting_user, container

if TYPE_CHECKING:
    from domain.conversations import Conversation

QUOTE_CHARS = 160


def ask(
    words: list[str] = typer.Argument(..., metavar="[DOCUMENT] QUESTION", show_default=False,
                                      help="The document (id, id prefix or file name) and the question; "
                                           "the question only with --docs or --library."),
    docs: str | None = typer.Option(None, "--docs", metavar="A,B,...",
                                    help="Ask about several documents (ids, prefixes or file names, by commas)."),
    library: bool = typer.Option(False, "--library", help="Ask about every processed document of yours."),
    user: str | None = USER_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Ask a question; prints the answer and the passages it cites."""
    from application.use_cases.query_document import QueryDocumentCommand
    from domain.language import reply_language

    actor = acting_user(user)
    question, scope = _scope(actor.id, words, docs, library)
    conversation = container().query_document()(QueryDocumentCommand(user_id=actor.id, question=question, **scope))
    if json_out:
        emit_json(conversation_dict(conversation))
        return
    typer.echo(conversation.answer)
    if conversation.citations:
        typer.echo("\nИсточники:" if reply_language(question) == "ru" else "\nSources:")
        names = _file_names(actor.id, conversation) if conversation.document_id is None else {}
        for c in conversation.citations:
            quote = " ".join(c.quote.split())
            cut = "…" if len(quote) > QUOTE_CHARS else ""
            where = f"{names[c.document_id]}, {c.label}" if c.document_id in names else c.label
            typer.echo(f"  [{c.number}] {where}: \"{quote[:QUOTE_CHARS]}{cut}\"")
    typer.echo(f"\n{conversation.model} · {conversation.tokens_in}+{conversation.tokens_out} tokens · "
               f"{conversation.latency_ms} ms{' · cached' if conversation.cached else ''}", err=True)


def _scope(user_id: uuid.UUID, words: list[str], docs: str | None, library: bool) -> tuple[str, dict]:
    """(the question, the QueryDocumentCommand fields naming what it is about)."""
    several = docs is not None or library
    if docs is not None and library:
        raise InvalidInput("Give --docs or --library, not both.", field="docs")
    if len(words) != (1 if several else 2):
        expected = "only the QUESTION with --docs or --library" if several else "a DOCUMENT and a QUESTION"
        raise InvalidInput(f"ask takes {expected} ({len(words)} argument(s) given); quote a question "
                           "that has spaces.", field="question")
    if library:
        return words[0], {"whole_library": True}
    if docs is not None:
        return words[0], {"document_ids": resolve_documents(user_id, docs)}
    return words[1], {"document_id": resolve_document(user_id, words[0])}


def _file_names(user_id: uuid.UUID, conversation: Conversation) -> dict[uuid.UUID, str]:
    """A question over several documents: each cited document's file name, to say where a passage is."""
    get = container().get_document()
    return {d: get(user_id, d).filename for d in dict.fromkeys(c.document_id for c in conversation.citations)}
