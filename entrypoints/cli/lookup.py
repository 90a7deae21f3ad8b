"""Which of the user's documents a command names: a full id, a unique id prefix (like git), or a
file name; shared by ``doc``, ``ask``, ``delete``. A thread likewise: its id or a unique prefix."""

from __future__ import annotations

import uuid

from domain.documents import Document
from domain.errors import DocumentNotFound, InvalidInput, ThreadNotFound
from domain.threads import Thread
from entrypoints.cli.state import container

MIN_PREFIX = 4
DOCUMENT_HELP = ("Document: its id, a unique prefix of the id (4+ characters, as `assistant docs` shows) "
                 "or its file name.")


def resolve_document(user_id: uuid.UUID, reference: str) -> uuid.UUID:
    """The id of the one document ``reference`` names; DocumentNotFound when none does, InvalidInput
    when several do (give more characters)."""
    try:
        return uuid.UUID(reference)
    except ValueError:
        pass
    prefix = reference.lower().replace("-", "")
    by_prefix = len(prefix) >= MIN_PREFIX and all(ch in "0123456789abcdef" for ch in prefix)
    matches = {d.id for d in all_documents(user_id)
               if d.filename == reference or (by_prefix and d.id.hex.startswith(prefix))}
    if len(matches) == 1:
        return matches.pop()
    if not matches:
        raise DocumentNotFound(f"No document matches {reference!r} (an id, a prefix of one, or a file name).")
    raise InvalidInput(f"{reference!r} matches {len(matches)} documents; give more characters of the id.",
                       field="document")


def resolve_documents(user_id: uuid.UUID, references: str) -> tuple[uuid.UUID, ...]:
    """``A,B,C``: each resolved as above, in order, without repeats."""
    names = [r.strip() for r in references.split(",") if r.strip()]
    if not names:
        raise InvalidInput("--docs takes document ids, prefixes or file names separated by commas.", field="docs")
    return tuple(dict.fromkeys(resolve_document(user_id, name) for name in names))


def all_documents(user_id: uuid.UUID) -> list[Document]:
    """Every document of the user, newest first (page after page)."""
    from application.use_cases.list_documents import MAX_PAGE, ListDocumentsQuery

    found: list[Document] = []
    before = None
    while True:
        page = container().list_documents()(ListDocumentsQuery(user_id=user_id, limit=MAX_PAGE, before=before))
        found.extend(page.documents)
        if page.next_before is None:
            return found
        before = page.next_before


def resolve_thread(user_id: uuid.UUID, reference: str) -> uuid.UUID:
    """The id of the user's one thread ``reference`` names (its id or a unique prefix of 4+
    characters, as `assistant history` shows); ThreadNotFound when none does, InvalidInput when
    several do."""
    try:
        return uuid.UUID(reference)
    except ValueError:
        pass
    prefix = reference.lower().replace("-", "")
    if len(prefix) < MIN_PREFIX or not all(ch in "0123456789abcdef" for ch in prefix):
        raise InvalidInput(f"{reference!r} is not a thread id (give 4+ characters of one, as `assistant history` "
                           "shows).", field="thread")
    matches = [t.id for t in all_threads(user_id) if t.id.hex.startswith(prefix)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ThreadNotFound(f"No thread matches {reference!r} (see `assistant history`).", thread_id=reference)
    raise InvalidInput(f"{reference!r} matches {len(matches)} threads; give more characters of the id.",
                       field="thread")


def all_threads(user_id: uuid.UUID) -> list[Thread]:
    """Every thread of the user, most recently active first (page after page)."""
    found: list[Thread] = []
    before = None
    while True:
        page = container().threads().list(user_id, limit=200, before=before)
        found.extend(page.threads)
        if page.next_before is None:
            return found
        before = page.next_before
