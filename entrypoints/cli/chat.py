"""``assistant chat``: an interactive conversation about a document, several or the whole library.

Each question is asked in a thread (``ThreadQuestions``), so a follow-up ("and at the Riga
depot?") is understood from the questions before. The answer is printed as it streams, then its
sources. Line editing and a history of the lines typed come from the standard library's readline
(prompt_toolkit is not a dependency), the history kept in ``$ASSISTANT_HOME/chat_history``.
The thread is started by the first question, so a session left without one stores nothing."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import typer

from domain.errors import DomainError, InvalidInput, ThreadDocumentsGone
from entrypoints.cli.lookup import DOCUMENT_HELP, all_documents, resolve_document, resolve_documents, resolve_thread
from entrypoints.cli.output import USER_OPTION, docs_option, library_option
from entrypoints.cli.questions import print_citations, print_footer
from entrypoints.cli.state import acting_user, container

if TYPE_CHECKING:
    from domain.conversations import Conversation

HISTORY_FILE = "chat_history"
HISTORY_LINES = 1000
CHOICES_SHOWN = 10  # documents listed when the user is asked which one to talk about
COMMANDS = """Commands:
  /new [DOC | --library | --docs A,B]  a new thread (same documents, or those named)
  /sources N                           the whole passage [N] of the last answer cites
  /help                                this list
  /exit                                end the chat (or Ctrl-D)"""


class Scope(NamedTuple):
    document_ids: tuple[uuid.UUID, ...]  # empty: the whole library
    label: str  # "notes.md", "2 documents (a.csv, b.md)", "your whole library"


def chat(
    document: str | None = typer.Argument(None, metavar="[DOCUMENT]", show_default=False, help=DOCUMENT_HELP),
    docs: str | None = docs_option("Talk"),
    library: bool = library_option("Talk"),
    thread: str | None = typer.Option(None, "--thread", metavar="ID",
                                      help="Continue this thread (its id or a unique prefix, as `assistant "
                                           "history` shows)."),
    user: str | None = USER_OPTION,
) -> None:
    """Hold a conversation: ask, then ask follow-ups; /new, /sources N, /help, /exit (or Ctrl-D)."""
    actor = acting_user(user)
    session = Session(actor.id)
    if thread is not None:
        if document is not None or docs is not None or library:
            raise InvalidInput("A thread keeps its own documents: give --thread alone.", field="thread")
        session.resume(resolve_thread(actor.id, thread))
    else:
        session.scope = scope_of(actor.id, document, docs, library) or _ask_for_document(actor.id)
    typer.echo(f"Chat about {session.scope.label}. Ask a question; /help lists the commands, /exit or "
               "Ctrl-D ends.")
    read = _line_reader(Path(container().settings().home) / HISTORY_FILE)
    while True:
        try:
            line = read("> " if sys.stdin.isatty() else "").strip()
        except EOFError:
            typer.echo()
            break
        except KeyboardInterrupt:  # Ctrl-C clears the line, as in a shell; Ctrl-D or /exit ends
            typer.echo()
            continue
        if not line:
            continue
        if line.startswith("/"):
            if not session.command(line):
                break
        else:
            session.ask(line)
    if session.thread_id is not None:
        short = session.thread_id.hex[:8]
        typer.echo(f"Thread {short}: `assistant chat --thread {short}` or `assistant ask --thread {short} "
                   "QUESTION` continues it.")


class Session:
    """The chat's state: what it is about, its thread (None until the first question) and the last
    answer (for /sources)."""

    def __init__(self, user_id: uuid.UUID) -> None:
        self.user_id = user_id
        self.scope = Scope((), "your whole library")
        self.thread_id: uuid.UUID | None = None
        self.last: Conversation | None = None

    def resume(self, thread_id: uuid.UUID) -> None:
        view = container().threads().get(self.user_id, thread_id)
        self.scope = Scope(view.thread.document_ids, _label(self.user_id, view.thread.document_ids))
        self.thread_id, self.last = view.thread.id, (view.turns[-1] if view.turns else None)

    def ask(self, question: str) -> None:
        from domain.conversations import Conversation

        final: Conversation | None = None
        try:
            if self.thread_id is None:
                ids = self.scope.document_ids
                self.thread_id = container().threads().create(self.user_id, document_ids=ids,
                                                              whole_library=not ids).id
            command = container().thread_questions().command(self.user_id, self.thread_id, question)
            for item in container().query_document().stream(command):
                if isinstance(item, Conversation):
                    final = item
                else:
                    typer.echo(item.text, nl=False)
        except KeyboardInterrupt:
            typer.echo("\n(interrupted: this answer is not kept)")
            return
        except ThreadDocumentsGone:
            typer.echo("error: a document of this conversation was deleted, so it cannot go on. /new starts a "
                       "new one (over the documents still there), /new DOC over another.", err=True)
            return
        except DomainError as error:
            typer.echo(f"\nerror: {error.message} [{error.code}]", err=True)
            return
        assert final is not None
        typer.echo()
        self.last = final
        print_citations(self.user_id, final)
        print_footer(final)

    def command(self, line: str) -> bool:
        """Run a /command; False to end the chat."""
        name, _, rest = line.partition(" ")
        rest = rest.strip()
        try:
            if name in ("/exit", "/quit", "/q"):
                return False
            if name == "/new":
                self.new(rest)
            elif name == "/sources":
                self.sources(rest)
            elif name in ("/help", "/?"):
                typer.echo(COMMANDS)
            else:
                typer.echo(f"Unknown command {name}.\n{COMMANDS}")
        except DomainError as error:
            typer.echo(f"error: {error.message} [{error.code}]", err=True)
        return True

    def new(self, rest: str) -> None:
        """/new: a fresh thread over the same documents (those still there); /new DOC, /new --library,
        /new --docs A,B: over those."""
        words = rest.split(maxsplit=1)
        if words and words[0] == "--library":
            scope = scope_of(self.user_id, None, None, True)
        elif words and words[0] == "--docs":
            scope = scope_of(self.user_id, None, words[1] if len(words) > 1 else "", False)
        elif rest:
            scope = scope_of(self.user_id, rest, None, False)
        else:
            scope = self._still_there()
        if scope is None:
            return
        self.scope, self.thread_id, self.last = scope, None, None
        typer.echo(f"New conversation about {scope.label}.")

    def _still_there(self) -> Scope | None:
        if not self.scope.document_ids:
            return self.scope
        present = {d.id for d in all_documents(self.user_id)}
        kept = tuple(d for d in self.scope.document_ids if d in present)
        if not kept:
            typer.echo("The document(s) of this conversation were deleted: /new DOC names another, "
                       "/new --library asks about all of yours.")
            return None
        return self.scope if kept == self.scope.document_ids else Scope(kept, _label(self.user_id, kept))

    def sources(self, rest: str) -> None:
        """/sources N: citation N of the last answer, with the whole passage it points into."""
        if self.last is None:
            typer.echo("No answer yet: ask a question first.")
            return
        numbers = [c.number for c in self.last.citations]
        if not rest.isdigit():
            typer.echo(f"/sources takes a source's number ({_range(numbers)})." if numbers else
                       "The last answer cites no source.")
            return
        found = container().list_conversations().passage(self.user_id, self.last.id, int(rest))
        if found is None:
            typer.echo(f"The last answer has no source {rest} ({_range(numbers) or 'it cites none'}).")
            return
        cited, passage = found
        typer.echo(f"[{cited.number}] {cited.label}\n{passage.strip()}")


def scope_of(user_id: uuid.UUID, document: str | None, docs: str | None, library: bool) -> Scope | None:
    """What ``DOC | --docs A,B | --library`` names (at most one of them); None for none of them."""
    if sum((document is not None, docs is not None, library)) > 1:
        raise InvalidInput("Name a DOCUMENT, or give --docs or --library (one of them).", field="document")
    if library:
        return Scope((), "your whole library")
    if docs is not None:
        ids = resolve_documents(user_id, docs)
        return Scope(ids, _label(user_id, ids))
    if document is not None:
        ids = (resolve_document(user_id, document),)
        return Scope(ids, _label(user_id, ids))
    return None


def _ask_for_document(user_id: uuid.UUID) -> Scope:
    """No document named: list the user's and ask for one (the only one is the default)."""
    from domain.documents import DocumentStatus

    ready = [d for d in all_documents(user_id) if d.status is DocumentStatus.COMPLETED]
    if not ready:
        raise InvalidInput("No processed documents to talk about: `assistant ingest FILE` first.", field="document")
    typer.echo("Which document? (its file name or id prefix; --library next time for all of them)")
    for d in ready[:CHOICES_SHOWN]:
        typer.echo(f"  {d.id.hex[:8]}  {d.filename}")
    if len(ready) > CHOICES_SHOWN:
        typer.echo(f"  … and {len(ready) - CHOICES_SHOWN} more (`assistant docs` lists them)")
    default = ready[0].filename if len(ready) == 1 else None
    try:
        answer = typer.prompt("Document", default=default, show_default=default is not None)
    except (EOFError, typer.Abort):
        raise typer.Exit(1) from None
    return scope_of(user_id, answer.strip(), None, False)  # type: ignore[return-value]  # a name: never None


def _label(user_id: uuid.UUID, ids: tuple[uuid.UUID, ...]) -> str:
    if not ids:
        return "your whole library"
    names = {d.id: d.filename for d in all_documents(user_id)}
    files = [names.get(i, f"{i.hex[:8]} (deleted)") for i in ids]
    return files[0] if len(files) == 1 else f"{len(files)} documents ({', '.join(files)})"


def _range(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _line_reader(history: Path) -> Callable[[str], str]:
    """``input`` with readline's line editing and the lines of earlier chats (Up, Ctrl-R), kept in
    ``history``; plain ``input`` where there is no readline or no terminal."""
    if not sys.stdin.isatty():
        return input
    try:
        import atexit
        import readline
    except ImportError:  # Windows without pyreadline: no editing, still a chat
        return input
    readline.set_history_length(HISTORY_LINES)
    try:
        readline.read_history_file(history)
    except OSError:
        pass  # the first chat: no history yet

    def save() -> None:
        try:
            history.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history)
        except OSError:
            pass  # a read-only home: the chat worked, its lines are not kept

    atexit.register(save)
    return input
