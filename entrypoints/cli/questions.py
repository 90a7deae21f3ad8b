"""``assistant ask``: a question about one document, several (``--docs A,B``) or the whole library
(``--library``), or the next question of a thread (``--thread ID``), answered with citations."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import typer

from domain.errors import InvalidInput
from entrypoints.cli.lookup import resolve_document, resolve_documents, resolve_thread
from entrypoints.cli.output import JSON_OPTION, USER_OPTION, conversation_dict, docs_option, emit_json, library_option
from entrypoints.cli.state import acting_user, container

if TYPE_CHECKING:
    from application.use_cases.query_document import QueryDocumentCommand
    from domain.conversations import Conversation

QUOTE_CHARS = 160


def ask(
    words: list[str] = typer.Argument(..., metavar="[DOCUMENT] QUESTION", show_default=False,
                                      help="The document (id, id prefix or file name) and the question; "
                                           "the question only with --docs, --library or --thread."),
    docs: str | None = docs_option("Ask"),
    library: bool = library_option("Ask"),
    thread: str | None = typer.Option(None, "--thread", metavar="ID",
                                      help="Ask in this thread (its id or a unique prefix, as `assistant history` "
                                           "shows): a follow-up is understood from the questions before."),
    user: str | None = USER_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Ask a question; prints the answer and the passages it cites."""
    actor = acting_user(user)
    conversation = container().query_document()(_command(actor.id, words, docs, library, thread))
    if json_out:
        emit_json(conversation_dict(conversation))
        return
    typer.echo(conversation.answer)
    print_citations(actor.id, conversation)
    print_footer(conversation)


def print_citations(user_id: uuid.UUID, conversation: Conversation) -> None:
    """"Sources:" and each cited passage's place and the start of its quote (shared with ``chat``)."""
    from domain.language import reply_language

    if not conversation.citations:
        return
    typer.echo("\nИсточники:" if reply_language(conversation.question) == "ru" else "\nSources:")
    names = _file_names(user_id, conversation) if conversation.document_id is None else {}
    for c in conversation.citations:
        quote = " ".join(c.quote.split())
        cut = "…" if len(quote) > QUOTE_CHARS else ""
        where = f"{names[c.document_id]}, {c.label}" if c.document_id in names else c.label
        typer.echo(f"  [{c.number}] {where}: \"{quote[:QUOTE_CHARS]}{cut}\"")


def print_footer(conversation: Conversation) -> None:
    typer.echo(f"\n{conversation.model} · {conversation.tokens_in}+{conversation.tokens_out} tokens · "
               f"{conversation.latency_ms} ms{' · cached' if conversation.cached else ''}", err=True)


def _command(user_id: uuid.UUID, words: list[str], docs: str | None, library: bool,
             thread: str | None) -> QueryDocumentCommand:
    from application.use_cases.query_document import QueryDocumentCommand

    if thread is None:
        question, scope = _scope(user_id, words, docs, library)
        return QueryDocumentCommand(user_id=user_id, question=question, **scope)
    if docs is not None or library:
        raise InvalidInput("A thread keeps its own documents: give --thread without --docs or --library.",
                           field="thread")
    if len(words) != 1:
        raise InvalidInput(f"ask --thread takes only the QUESTION ({len(words)} argument(s) given); quote a "
                           "question that has spaces.", field="question")
    return container().thread_questions().command(user_id, resolve_thread(user_id, thread), words[0])


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
