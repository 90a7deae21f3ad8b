"""A world of in-memory fakes and builders for the use cases under test."""

from __future__ import annotations

import uuid

import attrs
import pytest

from application.retrieval.finder import PassageFinder
from application.use_cases.answer_sources import RetrievalSettings
from application.use_cases.index_document import DocumentIndexer
from application.use_cases.process_document import ProcessDocument
from application.use_cases.query_document import QueryDocument, QueryDocumentCommand
from application.use_cases.upload_document import UploadDocument, UploadDocumentCommand
from domain.chunking import ChunkingPolicy
from domain.conversations import Conversation
from domain.documents import Document
from domain.tiers import TierPolicy
from domain.users import Role, Tier, User, UserStatus
from tests.fakes import (
    FakeCache,
    FakeClock,
    FakeExtractors,
    FakeNotifier,
    FakeQueue,
    FakeStorage,
    FakeUnitOfWork,
    ScriptedLanguageModel,
)
from adapters.ratelimit.memory import MemoryRateLimiter
from adapters.retrieval.bm25 import BM25Retriever
from adapters.text.snowball import SnowballAnalyzer


@attrs.define
class World:
    uow: FakeUnitOfWork = attrs.Factory(FakeUnitOfWork)
    clock: FakeClock = attrs.Factory(FakeClock)
    storage: FakeStorage = attrs.Factory(FakeStorage)
    queue: FakeQueue = attrs.Factory(FakeQueue)
    extractors: FakeExtractors = attrs.Factory(FakeExtractors)
    notifier: FakeNotifier = attrs.Factory(FakeNotifier)
    cache: FakeCache = attrs.Factory(FakeCache)
    llm: ScriptedLanguageModel = attrs.Factory(ScriptedLanguageModel)
    tiers: TierPolicy = attrs.Factory(TierPolicy)
    limiter: object = None
    retriever: object = None  # ranks the chunks of documents not in the search index
    analyzer: SnowballAnalyzer = attrs.Factory(SnowballAnalyzer)
    embedder: object = None
    index: bool = True  # processing indexes documents for search
    finder_override: object = None

    def __attrs_post_init__(self) -> None:
        self.limiter = MemoryRateLimiter(self.clock)
        self.retriever = BM25Retriever()

    @property
    def indexer(self) -> DocumentIndexer:
        return DocumentIndexer(analyzer=self.analyzer, embedder=self.embedder)

    @property
    def finder(self) -> PassageFinder:
        return PassageFinder(analyzer=self.analyzer, fallback=self.retriever, embedder=self.embedder)

    # --- state -------------------------------------------------------------------------
    @property
    def store(self):  # noqa: ANN201 - the committed fake store
        return self.uow.committed_store

    def add_user(self, *, tier: Tier = Tier.FREE, role: Role = Role.USER,
                 status: UserStatus = UserStatus.ACTIVE, email: str | None = None) -> User:
        now = self.clock.now()
        user = User(email=email, tier=tier, role=role, status=status, created_at=now, updated_at=now)
        with self.uow as uow:
            uow.users.add(user)
            uow.commit()
        return user

    def user(self, user_id: uuid.UUID) -> User:
        return self.store.users[user_id]

    def set_status(self, user: User, status: UserStatus) -> None:
        """Change a stored user's status behind the use cases' back (as an admin would)."""
        with self.uow as uow:
            stored = uow.users.get(user.id)
            assert stored is not None
            stored.status = status
            uow.users.update(stored)
            uow.commit()

    def document(self, document_id: uuid.UUID) -> Document | None:
        return self.store.documents.get(document_id)

    # --- use cases ---------------------------------------------------------------------
    def upload_use_case(self) -> UploadDocument:
        return UploadDocument(uow=self.uow, storage=self.storage, queue=self.queue, extractors=self.extractors,
                              tiers=self.tiers, clock=self.clock)

    def process_use_case(self, chunking: ChunkingPolicy = ChunkingPolicy()) -> ProcessDocument:
        return ProcessDocument(uow=self.uow, storage=self.storage, extractors=self.extractors,
                               notifier=self.notifier, clock=self.clock, chunking=chunking,
                               indexer=self.indexer if self.index else None)

    def query_use_case(self, settings: RetrievalSettings = RetrievalSettings()) -> QueryDocument:
        return QueryDocument(uow=self.uow, llm=self.llm, finder=self.finder_override or self.finder, cache=self.cache,
                             limiter=self.limiter, tiers=self.tiers, clock=self.clock, settings=settings,
                             queue=self.queue)

    # --- shortcuts ---------------------------------------------------------------------
    def upload(self, user: User, text: str = "Hello world.", filename: str = "notes.txt") -> Document:
        return self.upload_use_case()(UploadDocumentCommand(user_id=user.id, filename=filename,
                                                            data=text.encode())).document

    def ready_document(self, user: User, text: str = "Hello world.", filename: str = "notes.txt",
                       chunking: ChunkingPolicy = ChunkingPolicy()) -> Document:
        document = self.upload(user, text, filename)
        self.process_use_case(chunking)(document.id)
        self.clock.advance(1)  # later uploads are strictly newer
        return self.store.documents[document.id]

    def ask(self, user: User, question: str, document_id: uuid.UUID | None = None,
            settings: RetrievalSettings = RetrievalSettings()) -> Conversation:
        return self.query_use_case(settings)(
            QueryDocumentCommand(user_id=user.id, question=question, document_id=document_id))


@pytest.fixture
def world() -> World:
    return World()
