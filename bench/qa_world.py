"""A world for the quality benchmark: the shipped container on a SQLite file of its own (the
embedded profile), documents uploaded and processed by the real use cases, questions asked
through QueryDocument with the offline model, and what the model was sent recorded."""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from dependency_injector import providers

from application.ports.language_model import AnswerRequest, Completion, CompletionDelta, LanguageModel
from application.use_cases.ensure_user import EnsureEmailUserCommand
from application.use_cases.query_document import QueryDocumentCommand
from application.use_cases.upload_document import UploadDocumentCommand
from config.bootstrap import build_container
from domain.chunks import Chunk
from domain.conversations import Conversation
from domain.documents import Document
from domain.locators import Locator
from domain.users import Role, Tier


class Recording:
    """A language model that delegates, keeping the last request it was sent."""

    def __init__(self, model: LanguageModel) -> None:
        self.model, self.name, self.last = model, model.name, None

    def complete(self, request: AnswerRequest) -> Completion:
        self.last = request
        return self.model.complete(request)

    def stream(self, request: AnswerRequest) -> Iterator[CompletionDelta | Completion]:
        self.last = request
        return self.model.stream(request)


class World:
    def __init__(self, home: Path | None = None, **settings: object) -> None:
        self._tmp = None if home else tempfile.TemporaryDirectory(prefix="qa-bench-")
        self.home = home or Path(self._tmp.name)
        self.container = build_container(home=self.home, log_level="WARNING", llm_backend="offline",
                                         queue_backend="inline", **settings)
        self.recorder = Recording(self.container.language_model().models[0])
        self.container.language_model.override(providers.Object(self.recorder))
        user = self.container.ensure_user().email(EnsureEmailUserCommand(email="bench@example.com"))
        self.user_id = user.id
        admin = self.container.ensure_user().email(EnsureEmailUserCommand(email="admin@example.com", role=Role.ADMIN))
        self.container.set_tier()(admin.id, user.id, Tier.ENTERPRISE)  # no rate limit, the largest caps

    def ingest(self, path: Path) -> Document:
        result = self.container.upload_document()(UploadDocumentCommand(
            user_id=self.user_id, filename=path.name, data=path.read_bytes()))
        self.container.queue().join()
        with self.container.uow() as uow:
            return uow.documents.get(result.document.id)

    def chunks(self, document_id: uuid.UUID) -> list[Chunk]:
        with self.container.uow() as uow:
            return uow.chunks.list_for_document(document_id)

    def ask(self, document_ids: list[uuid.UUID], question: str) -> tuple[Conversation, list[str]]:
        self.recorder.last = None
        command = QueryDocumentCommand(user_id=self.user_id, question=question, document_ids=tuple(document_ids))
        conversation = self.container.query_document()(command)
        sources = [s.text for s in self.recorder.last.sources] if self.recorder.last else []
        return conversation, sources

    def ask_follow_up(self, document_ids: list[uuid.UUID], first: str,
                      follow_up: str) -> tuple[Conversation, list[str], str]:
        """``first`` asked in a new thread, then ``follow_up`` in it: its answer, the context it was
        sent and its standalone form."""
        thread = self.container.threads().create(self.user_id, document_ids=tuple(document_ids))
        questions = self.container.thread_questions()
        self.container.query_document()(questions.command(self.user_id, thread.id, first))
        self.recorder.last = None
        command = questions.command(self.user_id, thread.id, follow_up)
        conversation = self.container.query_document()(command)
        sources = [s.text for s in self.recorder.last.sources] if self.recorder.last else []
        return conversation, sources, command.thread.standalone if command.thread else follow_up

    def close(self) -> None:
        self.container.queue().shutdown()
        self.container.engine().dispose()
        if self._tmp is not None:
            self._tmp.cleanup()


def folded(text: str) -> str:
    return " ".join(text.casefold().split())


def holds(text: str, gold: str) -> bool:
    return folded(gold) in folded(text)


_CELLS = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")


def locator_text(chunks: list[Chunk], cited: Locator) -> str:
    """The text a cited locator points at: the located parts of the document's chunks that it
    names (a narrowed line or sheet row: that line or row only)."""
    out = []
    for chunk in chunks:
        for locator, text in chunk.located_texts():
            if cited.page is not None and locator.page == cited.page:
                out.append(text)
            elif cited.paragraph is not None and locator.paragraph == cited.paragraph and cited.line_start is None:
                out.append(text)
            elif cited.line_start is not None and locator.line_start is not None:
                first, last = locator.line_start, locator.line_end or locator.line_start
                if first <= cited.line_start <= last:
                    lines = text.split("\n")
                    out.append(lines[cited.line_start - first] if cited.line_start - first < len(lines) else text)
            elif cited.sheet is not None and locator.sheet == cited.sheet and cited.cells and locator.cells:
                out.append(_row_text(text, locator.cells, cited.cells))
            elif cited.start_seconds is not None and locator == cited:
                out.append(text)
    return "\n".join(out)


def _row_text(text: str, block: str, cited: str) -> str:
    have, want = _CELLS.match(block), _CELLS.match(cited)
    if not have or not want:
        return ""
    first, last, row = int(have.group(2)), int(have.group(4)), int(want.group(2))
    if not first <= row <= last:
        return ""
    if want.group(2) != want.group(4):
        return text
    lines = [line for line in text.split("\n") if line.startswith("|")]
    return lines[2 + row - first] if len(lines) > 2 + row - first else ""


_GOLD_NUMBER = re.compile(r"^\(?\$?\d[\d,]*(\.\d+)?\)?%?$")
_STATED = re.compile(r"\$?(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion)?", re.IGNORECASE)
_SCALE = {None: 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}


def answer_holds(answer: str, gold: str) -> bool:
    """The answer states the fact: the gold string, or for a table value the same number in
    another unit as an analyst would write it ("$14.51 billion" for 14,514 in millions)."""
    if holds(answer, gold):
        return True
    if not _GOLD_NUMBER.match(gold.strip()):
        return False
    try:
        value = float(gold.strip("()$% ").replace(",", ""))
    except ValueError:
        return False
    for match in _STATED.finditer(answer):
        stated = float(match.group(1).replace(",", "")) * _SCALE[(match.group(2) or "").lower() or None]
        for scale in (1e6, 1e3, 1.0):  # the table's unit: millions, thousands, none
            target = value * scale
            decimals = len(match.group(1).split(".")[1]) if "." in match.group(1) else 0
            step = _SCALE[(match.group(2) or "").lower() or None] * 10 ** -decimals
            if target and abs(stated - target) <= step / 2 + 1e-9 and stated >= 0.5 * target:
                return True
    return False
