"""The keyless engine answers follow-ups in a thread on real documents (the issue's cases: the
previous year's figure in a 10-Q, the tax rate a year earlier, a Russian follow-up on the
contract), where the same follow-up asked alone does not know what it refers to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from application.use_cases.register_user import RegisterUserCommand
from application.use_cases.upload_document import UploadDocumentCommand
from config.bootstrap import build_container
from config.container import Container
from domain.documents import DocumentStatus
from domain.users import Tier
from tests.corpus import corpus_path


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Container, object]]:
    container = build_container(home=Path(tmp_path_factory.mktemp("followups")), log_level="WARNING",
                                llm_backend="offline", queue_backend="inline", ratelimit_backend="memory")
    user = container.register_user()(RegisterUserCommand(email="ann@example.com", password="x" * 10,
                                                         tier=Tier.ENTERPRISE))
    yield container, user
    container.queue().shutdown()


def _document(container: Container, user: object, relative: str):  # noqa: ANN202 - the Document
    result = container.upload_document()(UploadDocumentCommand(user_id=user.id, filename=Path(relative).name,
                                                               data=corpus_path(relative).read_bytes()))
    container.queue().join()
    document = container.get_document()(user.id, result.document.id)
    assert document.status is DocumentStatus.COMPLETED
    return document


@pytest.mark.parametrize(("relative", "first", "follow_up", "gold"), [
    ("pdf/sec-10q/2023-Q2-AAPL.pdf", "What were Apple's total net sales for the three months ended April 1, 2023?",
     "And in the same quarter a year earlier?", "97,278"),
    ("pdf/sec-10q/2023-Q2-AAPL.pdf", "What was the effective tax rate this quarter?",
     "How does that compare with a year earlier?", "17.0"),
    ("docx/bug65649.docx", "срок выполнения работ?", "А срок гарантии?", "24 (Двадцать четыре) месяца"),
])
def test_a_follow_up_is_answered_from_the_turn_before_it(assistant: tuple[Container, object], relative: str,
                                                         first: str, follow_up: str, gold: str) -> None:
    container, user = assistant
    document = _document(container, user, relative)
    thread = container.threads().create(user.id, document_ids=(document.id,))
    questions = container.thread_questions()
    container.query_document()(questions.command(user.id, thread.id, first))
    answer = container.query_document()(questions.command(user.id, thread.id, follow_up))
    assert gold in answer.answer, answer.answer
    assert answer.thread_id == thread.id and answer.citations
    assert [t.question for t in container.threads().get(user.id, thread.id).turns] == [first, follow_up]
