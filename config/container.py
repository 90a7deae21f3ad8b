"""The dependency-injection container: every swappable adapter is chosen here from a ``backend`` key."""

from __future__ import annotations

from dependency_injector import containers, providers

from adapters.auth.passwords import Argon2PasswordHasher
from adapters.cache.memory import MemoryCache
from adapters.extractors.registry import ExtractorMap
from adapters.extractors.text import PlainTextExtractor
from adapters.llm.offline import OfflineLanguageModel
from adapters.notify.logging import LoggingNotifier
from adapters.persistence.engine import make_engine
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from adapters.queue.inline import InlineJobQueue
from adapters.ratelimit.memory import MemoryRateLimiter
from adapters.retrieval.bm25 import BM25Retriever
from adapters.storage.local import LocalFileStorage
from adapters.system.clock import SystemClock
from application.use_cases.authenticate_user import AuthenticateUser
from application.use_cases.clear_documents import ClearDocuments
from application.use_cases.delete_document import DeleteDocument
from application.use_cases.ensure_user import EnsureUser
from application.use_cases.find_user import FindUser
from application.use_cases.get_document import GetDocument
from application.use_cases.get_usage import GetUsage
from application.use_cases.list_documents import ListDocuments
from application.use_cases.list_users import ListUsers
from application.use_cases.process_document import ProcessDocument
from application.use_cases.query_document import QueryDocument, RetrievalSettings
from application.use_cases.recover_documents import RecoverDocuments
from application.use_cases.register_user import RegisterUser
from application.use_cases.select_active_document import SelectActiveDocument
from application.use_cases.set_status import SetStatus
from application.use_cases.set_tier import SetTier
from application.use_cases.upload_document import UploadDocument
from domain.chunking import ChunkingPolicy
from domain.tiers import TierPolicy


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)
    settings = providers.Object(None)  # the Settings object, set by config.bootstrap

    clock = providers.Singleton(SystemClock)
    engine = providers.Singleton(make_engine, config.database.url)
    uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine)
    storage = providers.Selector(
        config.storage.backend,
        local=providers.Singleton(LocalFileStorage, root=config.storage.path),
    )
    extractors = providers.Singleton(ExtractorMap, extractors=providers.List(providers.Singleton(PlainTextExtractor)))
    tiers = providers.Singleton(TierPolicy.with_overrides, config.tiers)
    chunking = providers.Singleton(ChunkingPolicy, budget=config.chunking.budget, overlap=config.chunking.overlap)
    retrieval = providers.Singleton(
        RetrievalSettings, context_tokens=config.retrieval.context_tokens, top_k=config.retrieval.top_k,
        cache_ttl_seconds=config.retrieval.cache_ttl,
    )
    cache = providers.Selector(config.cache.backend, memory=providers.Singleton(MemoryCache))
    limiter = providers.Selector(config.ratelimit.backend, memory=providers.Singleton(MemoryRateLimiter, clock=clock))
    retriever = providers.Singleton(BM25Retriever)
    language_model = providers.Selector(config.llm.backend, offline=providers.Singleton(OfflineLanguageModel))
    notifier = providers.Singleton(LoggingNotifier)
    hasher = providers.Singleton(Argon2PasswordHasher)

    process_document = providers.Factory(
        ProcessDocument, uow=uow, storage=storage, extractors=extractors, notifier=notifier, clock=clock,
        chunking=chunking,
    )
    queue = providers.Selector(
        config.queue.backend,
        inline=providers.Singleton(InlineJobQueue, process_factory=process_document.provider,
                                   workers=config.queue.workers),
    )

    register_user = providers.Factory(RegisterUser, uow=uow, hasher=hasher, clock=clock)
    ensure_user = providers.Factory(EnsureUser, uow=uow, clock=clock)
    authenticate_user = providers.Factory(AuthenticateUser, uow=uow, hasher=hasher)
    find_user = providers.Factory(FindUser, uow=uow)
    list_users = providers.Factory(ListUsers, uow=uow)
    set_tier = providers.Factory(SetTier, uow=uow, clock=clock)
    set_status = providers.Factory(SetStatus, uow=uow, clock=clock)
    upload_document = providers.Factory(
        UploadDocument, uow=uow, storage=storage, queue=queue, extractors=extractors, tiers=tiers, clock=clock,
    )
    list_documents = providers.Factory(ListDocuments, uow=uow)
    get_document = providers.Factory(GetDocument, uow=uow)
    delete_document = providers.Factory(DeleteDocument, uow=uow, storage=storage, clock=clock)
    clear_documents = providers.Factory(ClearDocuments, uow=uow, storage=storage, clock=clock)
    select_active_document = providers.Factory(SelectActiveDocument, uow=uow, clock=clock)
    query_document = providers.Factory(
        QueryDocument, uow=uow, llm=language_model, retriever=retriever, cache=cache, limiter=limiter,
        tiers=tiers, clock=clock, settings=retrieval,
    )
    get_usage = providers.Factory(GetUsage, uow=uow, limiter=limiter, tiers=tiers)
    recover_documents = providers.Factory(RecoverDocuments, uow=uow, queue=queue, tiers=tiers, clock=clock)
